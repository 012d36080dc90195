"""CSV exports that open correctly in a Dutch spreadsheet (``;``, decimal comma, UTF-8 BOM)."""

from __future__ import annotations

from datetime import date

from kring.core.csv_export import csv_text
from kring.networks.models import Network

from . import selectors
from .models import Category, TransferStatus


def money(cents: int, decimal: str) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}{decimal}{part:02d}"


def ledger_csv(
    network: Network,
    *,
    start: date | None,
    end: date | None,
    separator: str = ";",
    decimal: str = ",",
) -> str:
    buf, w = csv_text(delimiter=separator)
    w.writerow(
        [
            "date",
            "type",
            "id",
            "description",
            "category",
            "payer",
            "payee",
            "amount_eur",
            "shares",
            "reverses",
            "reason",
            "status",
        ]
    )
    labels = dict(Category.choices)
    rows = []
    for e in selectors.expenses_for(network, start=start, end=end):
        shares = ", ".join(
            f"{s.user.display_name}: {money(s.cents, decimal)}"
            for s in sorted(e.shares.all(), key=lambda s: s.user_id)
        )
        rows.append(
            (
                e.spent_on,
                0,
                e.pk,
                [
                    "expense",
                    e.pk,
                    e.description,
                    str(labels[e.category]),
                    e.payer.display_name,
                    "",
                    money(e.amount_cents, decimal),
                    shares,
                    e.reverses_id or "",
                    e.reason,
                    "",
                ],
            )
        )
    for t in selectors.transfers_for(network, start=start, end=end):
        rows.append(
            (
                t.paid_on,
                1,
                t.pk,
                [
                    "transfer",
                    t.pk,
                    t.note,
                    "",
                    t.payer.display_name,
                    t.payee.display_name,
                    money(t.cents, decimal),
                    "",
                    "",
                    "",
                    TransferStatus(t.status).value,
                ],
            )
        )
    for day, _kind, _pk, row in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        w.writerow([day.isoformat(), *row])
    return buf.getvalue()


def balances_csv(
    network: Network, *, until: date | None, separator: str = ";", decimal: str = ","
) -> str:
    buf, w = csv_text(delimiter=separator)
    w.writerow(["member_id", "name", "balance_eur"])
    bal = selectors.balances(network, until=until)
    names = selectors.names(network, bal.keys())
    for uid in sorted(bal, key=lambda u: (names.get(u, ""), u)):
        w.writerow([uid, names.get(uid, ""), money(bal[uid], decimal)])
    return buf.getvalue()
