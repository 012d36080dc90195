"""Running balance totals: moved with every ledger entry, checked against the entries.

The entries (expenses with their shares, confirmed transfers) are the truth; ``Balance``
holds each person's running total so the costs page reads one row per person instead of
summing a network's whole history on every view. Every write that changes a balance calls
:func:`move_balances` inside its own transaction, which changes the rows with one conditional
``UPDATE … SET cents = cents + CASE …`` (no read-check-write, so concurrent writers cannot
lose an update). :func:`mismatches` compares the totals with the entries (``kring
ledger-check``); :func:`rebuild` recomputes them from the entries (``--repair``, the load seed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, Value, When

from kring.networks.models import Network

from .models import Balance
from .selectors import balances_from_entries

CHUNK = 300  # people per UPDATE (bound parameters stay far below every database's limit)


def move_balances(network_id: int, deltas: Mapping[int, int]) -> None:
    """Add ``deltas`` (user id → cents) to the network's running totals, atomically."""
    deltas = {u: c for u, c in deltas.items() if c}
    if not deltas:
        return
    Balance.objects.bulk_create(
        [Balance(network_id=network_id, user_id=u, cents=0) for u in sorted(deltas)],
        ignore_conflicts=True,
    )
    items = sorted(deltas.items())
    for i in range(0, len(items), CHUNK):
        part = dict(items[i : i + CHUNK])
        Balance.objects.filter(network_id=network_id, user_id__in=part).update(
            cents=F("cents")
            + Case(
                *(When(user_id=u, then=Value(c)) for u, c in part.items()),
                default=Value(0),
                output_field=BigIntegerField(),
            )
        )


def expense_deltas(
    payer_id: int, amount_cents: int, shares: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """What one expense does to the balances: the payer is owed the amount, each share owes."""
    out: dict[int, int] = {payer_id: amount_cents}
    for user_id, cents in shares:
        out[user_id] = out.get(user_id, 0) - cents
    return out


def transfer_deltas(payer_id: int, payee_id: int, cents: int) -> dict[int, int]:
    """A confirmed payment: the payer is owed it back, the payee received it."""
    return {payer_id: cents, payee_id: -cents}


def stored(network: Network) -> dict[int, int]:
    return dict(Balance.objects.filter(network=network).values_list("user_id", "cents"))


def mismatches(networks: Iterable[Network] | None = None) -> list[tuple[Network, int, int, int]]:
    """``(network, user id, stored, from the entries)`` wherever a running total is wrong."""
    out = []
    for network in networks if networks is not None else Network.objects.order_by("pk"):
        truth = balances_from_entries(network)
        have = stored(network)
        for user_id in sorted(set(truth) | set(have)):
            t, h = truth.get(user_id, 0), have.get(user_id, 0)
            if t != h:
                out.append((network, user_id, h, t))
    return out


@transaction.atomic
def rebuild(network: Network) -> int:
    """Set the network's totals to what the entries say; returns how many rows changed.

    Ledger writes wait meanwhile (on SQLite every write transaction takes the database's
    write lock; on PostgreSQL the totals table is locked against writes), so the entries and
    the totals are read at one moment and no delta lands twice or gets lost.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Balance._meta.db_table} IN EXCLUSIVE MODE")
    truth = balances_from_entries(network)
    have = stored(network)
    wrong = {u: truth.get(u, 0) - have.get(u, 0) for u in set(truth) | set(have)}
    move_balances(network.pk, wrong)
    return sum(1 for c in wrong.values() if c)
