"""The running balance totals: moved with every entry, equal to the entries, checkable."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.ledger import selectors, services, totals
from kring.ledger.models import Balance, SplitMethod

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def expense(actor: Any, network: Any, cents: int, **kw: Any) -> Any:
    args = {
        "payer_id": actor.pk,
        "amount_cents": cents,
        "spent_on": TODAY,
        "description": "Zaalhuur",
        "category": "venue",
        "split_method": SplitMethod.EQUAL,
    }
    args.update(kw)
    return services.record_expense(actor=actor, network=network, **args)


def stored(network: Any) -> dict[int, int]:
    return dict(Balance.objects.filter(network=network).values_list("user_id", "cents"))


def test_every_kind_of_entry_moves_the_totals(network, host, member, anna) -> None:
    e = expense(host, network, 9000)
    assert stored(network) == {host.pk: 6000, member.pk: -3000, anna.pk: -3000}
    expense(member, network, 1001, split_method=SplitMethod.EXACT, amounts={anna.pk: 1001})
    assert stored(network) == {host.pk: 6000, member.pk: -1999, anna.pk: -4001}
    services.reverse_expense(actor=host, expense=e, reason="Dubbel ingevoerd")
    assert stored(network) == {host.pk: 0, member.pk: 1001, anna.pk: -1001}
    # A payment counts once it is confirmed; a declined one never.
    t = services.record_transfer(actor=anna, network=network, payee_id=member.pk, cents=1001)
    assert stored(network)[anna.pk] == -1001
    declined = services.record_transfer(actor=anna, network=network, payee_id=host.pk, cents=5)
    services.decide_transfer(actor=host, transfer=declined, confirm=False)
    services.decide_transfer(actor=member, transfer=t, confirm=True)
    assert stored(network) == {host.pk: 0, member.pk: 0, anna.pk: 0}
    # The solidarity pot covers a share: the contributors carry it.
    services.contribute_to_pot(actor=host, network=network, cents=2000)
    req = services.ask_support(actor=anna, network=network, cents=700)
    services.decide_support(actor=host, request=req, grant=True)
    assert stored(network) == {host.pk: -700, member.pk: 0, anna.pk: 700}
    assert selectors.balances(network) == selectors.balances_from_entries(network)
    assert totals.mismatches([network]) == []


def test_a_refused_write_moves_nothing(network, host, member) -> None:
    expense(host, network, 1000)
    before = stored(network)
    with pytest.raises(services.DomainError):
        expense(host, network, 1000, description="")
    e = Balance.objects.count()
    assert stored(network) == before and Balance.objects.count() == e


def test_the_same_idempotency_key_moves_once(network, host, member) -> None:
    expense(host, network, 1000, idempotency_key="k-1")
    expense(host, network, 1000, idempotency_key="k-1")
    assert stored(network) == {host.pk: 500, member.pk: -500}


def test_moves_add_to_what_is_there_in_one_update(network, host, member) -> None:
    totals.move_balances(network.pk, {host.pk: 300, member.pk: -300})
    # An existing row: one INSERT … ON CONFLICT DO NOTHING and one UPDATE cents = cents + …
    # (the page cache's version of the table, written in between, is not the ledger's)
    with CaptureQueriesContext(connection) as queries:
        totals.move_balances(network.pk, {host.pk: 5, member.pk: -5})
    ledger = [
        q["sql"]
        for q in queries.captured_queries
        if Balance._meta.db_table in q["sql"] and "kring_cache" not in q["sql"]
    ]
    assert len(ledger) == 2, ledger
    assert stored(network) == {host.pk: 305, member.pk: -305}
    totals.move_balances(network.pk, {host.pk: 0})
    assert stored(network) == {host.pk: 305, member.pk: -305}


def test_ledger_check_finds_a_wrong_total_and_repairs_it(network, host, member) -> None:
    expense(host, network, 1000)
    out = StringIO()
    call_command("ledger-check", stdout=out)
    assert "All running totals match" in out.getvalue()

    Balance.objects.filter(network=network, user=member).update(cents=-499)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger-check", stdout=out)
    assert exit_.value.code == 1
    assert f"user {member.pk} has -499 cents in the totals, -500 in the entries" in out.getvalue()

    out = StringIO()
    call_command("ledger-check", "--repair", stdout=out)
    assert "Repaired 1 totals" in out.getvalue()
    assert stored(network) == {host.pk: 500, member.pk: -500}
    assert totals.mismatches() == []


def test_ledger_check_sees_a_missing_row(network, host, member) -> None:
    expense(host, network, 1000)
    Balance.objects.filter(user=host).delete()
    assert [(n.pk, u, h, t) for n, u, h, t in totals.mismatches()] == [
        (network.pk, host.pk, 0, 500)
    ]
    assert totals.rebuild(network) == 1
    assert totals.mismatches() == []


def test_balances_at_a_past_date_come_from_the_entries(network, host, member) -> None:
    expense(host, network, 1000, spent_on=TODAY - dt.timedelta(days=10))
    expense(host, network, 2000)
    assert selectors.balances(network, until=TODAY - dt.timedelta(days=1)) == {
        host.pk: 500,
        member.pk: -500,
    }
    assert selectors.balances(network) == {host.pk: 1500, member.pk: -1500}
