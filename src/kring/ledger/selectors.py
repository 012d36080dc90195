"""Reads of the ledger. Balances come from the running totals (``Balance``, kept by the
services with every entry); ``balances_from_entries`` derives them from the entries, the
truth the totals are checked against (``kring ledger-check``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from kring.networks.models import Membership, Network

from . import integration
from .models import (
    Balance,
    BankAccount,
    Category,
    Expense,
    ExpenseShare,
    GatheringContribution,
    LedgerSettings,
    PaymentRequest,
    PotContribution,
    SupportRequest,
    SupportStatus,
    Transfer,
    TransferStatus,
)
from .settle import Transfer as Transfer_
from .settle import settle_up


def _sum_by(qs: QuerySet[Any], key: str, value: str) -> dict[int, int]:
    return {k: v or 0 for k, v in qs.values(key).annotate(t=Sum(value)).values_list(key, "t")}


def balances(network: Network, *, until: date | None = None) -> dict[int, int]:
    """Per user id: positive = is owed money, negative = owes. Sums to zero.

    Everyone who ever took part is included (also people who left), plus all current members.
    Read from the running totals (two queries, whatever the history); ``until`` a past date,
    summed from the entries up to then.
    """
    if until is not None:
        return balances_from_entries(network, until=until)
    out: dict[int, int] = dict.fromkeys(
        Membership.objects.current().filter(network=network).values_list("user_id", flat=True), 0
    )
    out.update(Balance.objects.filter(network=network).values_list("user_id", "cents"))
    return out


def balances_from_entries(network: Network, *, until: date | None = None) -> dict[int, int]:
    """``balances`` summed from the entries themselves (the truth behind the totals)."""
    exp = Expense.objects.filter(network=network)
    shares = ExpenseShare.objects.filter(expense__network=network)
    transfers = Transfer.objects.filter(network=network, status=TransferStatus.CONFIRMED)
    if until is not None:
        exp = exp.filter(spent_on__lte=until)
        shares = shares.filter(expense__spent_on__lte=until)
        transfers = transfers.filter(paid_on__lte=until)
    out: dict[int, int] = dict.fromkeys(
        Membership.objects.current().filter(network=network).values_list("user_id", flat=True), 0
    )
    for uid, c in _sum_by(exp, "payer_id", "amount_cents").items():
        out[uid] = out.get(uid, 0) + c
    for uid, c in _sum_by(shares, "user_id", "cents").items():
        out[uid] = out.get(uid, 0) - c
    for uid, c in _sum_by(transfers, "payer_id", "cents").items():
        out[uid] = out.get(uid, 0) + c
    for uid, c in _sum_by(transfers, "payee_id", "cents").items():
        out[uid] = out.get(uid, 0) - c
    return out


def balance_of(network: Network, user_id: int) -> int:
    return (
        Balance.objects.filter(network=network, user_id=user_id)
        .values_list("cents", flat=True)
        .first()
        or 0
    )


SETTLE_CACHE_SECONDS = 24 * 3600


def settle_plan(network: Network, bal: dict[int, int]) -> list[Transfer_[int]]:
    """``settle_up`` of these balances, cached per network and balances.

    The plan depends on nothing but the nonzero balances, so the key is their digest: any
    ledger write that moves a balance makes a new key, and nothing has to be invalidated.
    The plan is the network's (every member sees it on the settle-up tab), never a person's.
    """
    nonzero = sorted((u, c) for u, c in bal.items() if c)
    if not nonzero:
        return []
    digest = hashlib.sha256(repr(nonzero).encode()).hexdigest()[:32]
    key = f"ledger:settle:{network.pk}:{digest}"
    rows = cache.get(key)
    if rows is None:
        rows = [(t.payer, t.payee, t.cents) for t in settle_up(dict(nonzero))]
        cache.set(key, rows, SETTLE_CACHE_SECONDS)
    return [Transfer_(payer, payee, cents) for payer, payee, cents in rows]


def settle_suggestions(network: Network) -> list[Transfer_[int]]:
    return settle_plan(network, balances(network))


def names(network: Network, ids: Any = None) -> dict[int, str]:
    qs = Membership.objects.filter(network=network).select_related("user__profile")
    if ids is not None:
        qs = qs.filter(user_id__in=ids)
    return {m.user_id: m.user.display_name for m in qs}


def expenses_for(
    network: Network, *, start: date | None = None, end: date | None = None
) -> QuerySet[Expense]:
    qs = (
        Expense.objects.filter(network=network)
        .select_related("payer__profile", "created_by__profile", "reverses")
        .prefetch_related("shares__user__profile", "reversal")
    )
    if start:
        qs = qs.filter(spent_on__gte=start)
    if end:
        qs = qs.filter(spent_on__lte=end)
    return qs


def transfers_for(
    network: Network, *, start: date | None = None, end: date | None = None
) -> QuerySet[Transfer]:
    qs = Transfer.objects.filter(network=network).select_related("payer__profile", "payee__profile")
    if start:
        qs = qs.filter(paid_on__gte=start)
    if end:
        qs = qs.filter(paid_on__lte=end)
    return qs


def pending_for(network: Network, user: Any) -> list[Transfer]:
    return list(
        Transfer.objects.filter(
            network=network, payee=user, status=TransferStatus.PENDING
        ).select_related("payer__profile")
    )


def awaiting_confirmation(network: Network, user: Any) -> list[Transfer]:
    """Payments the user recorded that the payee has not confirmed yet."""
    return list(
        Transfer.objects.filter(
            network=network, payer=user, status=TransferStatus.PENDING
        ).select_related("payee__profile")
    )


def requests_for(network: Network, user: Any) -> list[PaymentRequest]:
    return list(
        PaymentRequest.objects.filter(network=network)
        .filter(Q(payer=user) | Q(payee=user))
        .select_related("payer__profile", "payee__profile")
        .prefetch_related("transfers")[:50]
    )


def bank_account_visible(network: Network, *, viewer: Any, owner_id: int) -> BankAccount | None:
    """The owner's IBAN, only if the viewer owes the owner money (or is the owner)."""
    if viewer.pk != owner_id and (
        balance_of(network, viewer.pk) >= 0 or balance_of(network, owner_id) <= 0
    ):
        return None
    return BankAccount.objects.filter(network=network, user_id=owner_id).first()


def ledger_settings(network: Network) -> LedgerSettings:
    return LedgerSettings.objects.filter(network=network).first() or LedgerSettings(network=network)


@dataclass
class PotTotals:
    contributed: int
    covered: int

    @property
    def available(self) -> int:
        return self.contributed - self.covered


def pot_totals(network: Network) -> PotTotals:
    given = PotContribution.objects.filter(network=network).aggregate(t=Sum("cents"))["t"] or 0
    covered = (
        Expense.objects.filter(network=network, category=Category.SOLIDARITY).aggregate(
            t=Sum("amount_cents")
        )["t"]
        or 0
    )
    return PotTotals(contributed=given, covered=covered)


def open_support_requests(network: Network) -> list[SupportRequest]:
    return list(
        SupportRequest.objects.filter(network=network, status=SupportStatus.OPEN).select_related(
            "user__profile"
        )
    )


def gathering_cost_cents(network: Network, gathering_id: int) -> int:
    return (
        Expense.objects.filter(network=network, gathering_id=gathering_id)
        .exclude(category=Category.SOLIDARITY)
        .aggregate(t=Sum("amount_cents"))["t"]
        or 0
    )


@dataclass
class CoverageRow:
    gathering_id: int | None
    title: str
    costs: int
    contributions: int
    pot: int
    byo: list[str]
    contribution_per_attendee: int | None = None

    @property
    def difference(self) -> int:
        """Contributions minus costs: negative is a deficit, positive a surplus.

        What the pot covered is already inside the contributions (it moved a share from the
        member who asked to the contributors), so it is shown alongside, not added.
        """
        return self.contributions - self.costs


def coverage(network: Network, *, start: date, end: date) -> tuple[list[CoverageRow], CoverageRow]:
    """Cost coverage per gathering in a period, and the period's total.

    Costs: external expenses (with their reversals). Contributions: what members other than
    the payer carry of those costs, plus what the payer carries of their own (so an expense
    that is fully split is fully covered). Pot: what the solidarity pot covered in the period.
    """
    exp = Expense.objects.filter(network=network, spent_on__gte=start, spent_on__lte=end)
    cost_rows = (
        exp.exclude(category=Category.SOLIDARITY)
        .values("gathering_id")
        .annotate(t=Sum("amount_cents"))
    )
    costs = {r["gathering_id"]: r["t"] or 0 for r in cost_rows}
    share_rows = (
        ExpenseShare.objects.filter(expense__in=exp.exclude(category=Category.SOLIDARITY))
        .values("expense__gathering_id")
        .annotate(t=Sum("cents"))
    )
    contributions = {r["expense__gathering_id"]: r["t"] or 0 for r in share_rows}
    pot = sum(exp.filter(category=Category.SOLIDARITY).values_list("amount_cents", flat=True))
    ids = {g for g in costs if g is not None}
    titles = integration.gathering_titles(network, ids)
    byo = integration.byo_brought(network, ids)
    per = dict(
        GatheringContribution.objects.filter(network=network, gathering_id__in=ids).values_list(
            "gathering_id", "cents"
        )
    )
    rows = [
        CoverageRow(
            gathering_id=g,
            title=titles.get(g, "") if g else "",
            costs=costs[g],
            contributions=contributions.get(g, 0),
            pot=0,
            byo=byo.get(g, []) if g else [],
            contribution_per_attendee=per.get(g) if g else None,
        )
        for g in sorted(costs, key=lambda g: (g is None, g or 0))
    ]
    total = CoverageRow(
        gathering_id=None,
        title="",
        costs=sum(costs.values()),
        contributions=sum(contributions.values()),
        pot=pot,
        byo=[i for r in rows for i in r.byo],
    )
    return rows, total


def costs_by_category(
    network: Network, *, start: date | None = None, end: date | None = None
) -> dict[str, int]:
    qs = Expense.objects.filter(network=network).exclude(category=Category.SOLIDARITY)
    if start:
        qs = qs.filter(spent_on__gte=start)
    if end:
        qs = qs.filter(spent_on__lte=end)
    return {
        r["category"]: r["t"] or 0 for r in qs.values("category").annotate(t=Sum("amount_cents"))
    }


def cost_summary(network: Network, *, today: date | None = None) -> dict[str, Any] | None:
    """For the public page: the last twelve months' costs, if the hosts switched it on."""
    if not LedgerSettings.objects.filter(network=network, show_costs_publicly=True).exists():
        return None

    today = today or timezone.localdate(timezone.now(), network.tzinfo)
    start = today - timedelta(days=365)
    by_cat = costs_by_category(network, start=start, end=today)
    labels = dict(Category.choices)
    pot = pot_totals(network)
    return {
        "start": start,
        "end": today,
        "total_cents": sum(by_cat.values()),
        "by_category": [
            {"category": c, "label": str(labels[c]), "cents": v} for c, v in sorted(by_cat.items())
        ],
        "pot_contributed_cents": pot.contributed,
        "pot_covered_cents": pot.covered,
    }


def suggestion_rows(plan: list[Transfer_[int]], names: dict[int, str]) -> list[dict[str, Any]]:
    """Settle-up suggestions with names, for the page."""
    return [
        {
            "payer": t.payer,
            "payee": t.payee,
            "cents": t.cents,
            "payer_name": names.get(t.payer, "?"),
            "payee_name": names.get(t.payee, "?"),
        }
        for t in plan
    ]


def my_panel(network: Network, user: Any) -> dict[str, Any]:
    """The viewer's balance (their running total) and how many payments they must confirm."""
    return {
        "balance": balance_of(network, user.pk),
        "pending": Transfer.objects.filter(
            network=network, payee=user, status=TransferStatus.PENDING
        ).count(),
    }
