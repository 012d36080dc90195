from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound
from kring.core.models import AuditEntry
from kring.ledger import selectors, services
from kring.ledger.models import Expense, ExpenseShare, SplitMethod, Transfer

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def expense(actor: Any, network: Any, cents: int = 9000, **kw: Any) -> Expense:
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


def test_equal_split_among_active_members_skips_paused(network, host, member, anna, paused) -> None:
    e = expense(host, network, 10000)
    parts = dict(e.shares.values_list("user_id", "cents"))
    # 10000 / 3: the left-over cent goes to the first key in sorted order, the lowest user id.
    first, *rest = sorted([host.pk, member.pk, anna.pk])
    assert parts == {first: 3334, rest[0]: 3333, rest[1]: 3333}
    assert paused.pk not in parts
    bal = selectors.balances(network)
    assert bal[host.pk] == 10000 - parts[host.pk]
    assert sum(bal.values()) == 0
    assert AuditEntry.objects.filter(verb="ledger.expense_recorded").count() == 1


def test_paused_member_can_be_chosen_explicitly(network, host, paused) -> None:
    e = expense(host, network, 1000, member_ids=[host.pk, paused.pk])
    assert dict(e.shares.values_list("user_id", "cents")) == {host.pk: 500, paused.pk: 500}


def test_shares_and_exact(network, host, member, anna) -> None:
    e = expense(
        host,
        network,
        1000,
        split_method=SplitMethod.SHARES,
        shares={host.pk: 1, member.pk: 2, anna.pk: 0},
    )
    assert dict(e.shares.values_list("user_id", "cents")) == {host.pk: 333, member.pk: 667}
    e2 = expense(
        host, network, 1000, split_method=SplitMethod.EXACT, amounts={member.pk: 250, anna.pk: 750}
    )
    assert dict(e2.shares.values_list("user_id", "cents")) == {member.pk: 250, anna.pk: 750}


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"amount_cents": 0}, "amount_cents"),
        ({"amount_cents": -500}, "amount_cents"),
        ({"amount_cents": 12.5}, "amount_cents"),
        ({"description": "  "}, "description"),
        ({"category": "solidarity"}, "category"),
        ({"spent_on": TODAY + dt.timedelta(days=3)}, "spent_on"),
        ({"split_method": SplitMethod.EXACT, "amounts": {"HOST": 100}}, "split"),
        ({"gathering_id": 999999}, "gathering_id"),
    ],
)
def test_bad_input_saves_nothing(network, host, member, kw, field) -> None:
    if kw.get("amounts") == {"HOST": 100}:
        kw = {**kw, "amounts": {host.pk: 100, member.pk: 100}}
    with pytest.raises(DomainError) as err:
        expense(host, network, **kw)
    assert err.value.field == field
    assert not Expense.objects.exists() and not ExpenseShare.objects.exists()


def test_exact_split_that_does_not_add_up_is_explained(network, host, member) -> None:
    with pytest.raises(DomainError) as err:
        expense(
            host,
            network,
            1000,
            split_method=SplitMethod.EXACT,
            amounts={host.pk: 400, member.pk: 500},
        )
    assert str(err.value) == "The parts add up to €9.00, not €10.00."


def test_split_over_outsider_refused(network, host, outsider, other_member) -> None:
    for who in (outsider, other_member):
        with pytest.raises(DomainError, match="not a member"):
            expense(host, network, 1000, member_ids=[host.pk, who.pk])
    with pytest.raises(DomainError):
        expense(host, network, 1000, payer_id=outsider.pk)
    assert not Expense.objects.exists()


def test_member_cannot_record_for_someone_else_but_host_can(network, host, member) -> None:
    with pytest.raises(NotAllowed):
        expense(member, network, payer_id=host.pk)
    e = expense(host, network, payer_id=member.pk)
    assert e.payer_id == member.pk


def test_outsider_cannot_record(network, host, outsider) -> None:
    with pytest.raises(NotFound):
        expense(outsider, network, payer_id=host.pk)


def test_idempotency(network, host, member) -> None:
    a = expense(host, network, 1000, idempotency_key="k1")
    b = expense(host, network, 1000, idempotency_key="k1")
    assert a.pk == b.pk and Expense.objects.count() == 1
    with pytest.raises(Conflict):
        expense(host, network, 2000, idempotency_key="k1")
    # the key is per person: another member may use the same key
    c = expense(member, network, 1000, idempotency_key="k1")
    assert c.pk != a.pk


def test_reversal_mirrors_and_is_once(network, host, member) -> None:
    e = expense(host, network, 1001)
    with pytest.raises(DomainError):
        services.reverse_expense(actor=host, expense=e, reason=" ")
    rev = services.reverse_expense(actor=host, expense=e, reason="Dubbel ingevoerd")
    assert rev.amount_cents == -1001 and rev.reverses_id == e.pk
    assert set(selectors.balances(network).values()) == {0}
    with pytest.raises(Conflict):
        services.reverse_expense(actor=host, expense=e, reason="again")
    with pytest.raises(DomainError):
        services.reverse_expense(actor=host, expense=rev, reason="undo")
    assert Expense.objects.count() == 2  # nothing deleted


def test_member_cannot_reverse_someone_elses(network, host, member, anna) -> None:
    e = expense(anna, network, 1000)
    with pytest.raises(NotAllowed):
        services.reverse_expense(actor=member, expense=e, reason="nope")
    services.reverse_expense(actor=host, expense=e, reason="host corrects")


def test_transfer_counts_after_confirmation_by_payee_only(network, host, member) -> None:
    expense(host, network, 1000, member_ids=[host.pk, member.pk])
    t = services.record_transfer(actor=member, network=network, payee_id=host.pk, cents=500)
    assert selectors.balances(network)[member.pk] == -500  # pending: not counted yet
    with pytest.raises(NotAllowed):
        services.decide_transfer(actor=member, transfer=t, confirm=True)
    services.decide_transfer(actor=host, transfer=t, confirm=True)
    assert selectors.balances(network) == {host.pk: 0, member.pk: 0}
    with pytest.raises(Conflict):
        services.decide_transfer(actor=host, transfer=t, confirm=True)


def test_transfer_bad_input(network, host, member, outsider) -> None:
    for kw in (
        {"payee_id": member.pk, "cents": 0},
        {"payee_id": host.pk, "cents": 100},
        {"payee_id": outsider.pk, "cents": 100},
    ):
        with pytest.raises(DomainError):
            services.record_transfer(actor=host, network=network, **kw)
    assert not Transfer.objects.exists()


def test_iban_validated_and_visible_only_to_debtors(network, host, member, anna) -> None:
    with pytest.raises(DomainError) as err:
        services.set_bank_account(actor=host, network=network, iban="NL91ABNA0417164301", holder="")
    assert err.value.field == "iban"
    acct = services.set_bank_account(
        actor=host, network=network, iban="nl91 abna 0417 1643 00", holder="Hanna Host"
    )
    assert acct is not None and acct.iban == "NL91ABNA0417164300"
    expense(host, network, 1000, member_ids=[host.pk, member.pk])
    assert selectors.bank_account_visible(network, viewer=member, owner_id=host.pk) is not None
    assert selectors.bank_account_visible(network, viewer=anna, owner_id=host.pk) is None


def test_receipt_sniffed_and_limited(network, host) -> None:
    fake = SimpleUploadedFile("bon.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as err:
        expense(host, network, receipt=fake)
    assert err.value.field == "receipt"
    big = SimpleUploadedFile("bon.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(DomainError, match="too large"):
        expense(host, network, receipt=big)
    assert not Expense.objects.exists()
    ok = SimpleUploadedFile("x.exe", b"%PDF-1.4 hello")
    e = expense(host, network, receipt=ok)
    assert e.receipt_type == "application/pdf" and e.receipt.name.endswith(".pdf")
    assert len(e.receipt.name.rsplit("/", 1)[-1]) == 36  # 32 hex + ".pdf": not guessable


def test_settle_up_and_request(network, host, member, anna) -> None:
    expense(host, network, 3000)
    rows = selectors.settle_suggestions(network)
    assert {(t.payer, t.payee, t.cents) for t in rows} == {
        (member.pk, host.pk, 1000),
        (anna.pk, host.pk, 1000),
    }
    req = services.request_payment(
        actor=member, network=network, payer_id=member.pk, payee_id=host.pk, cents=1000
    )
    with pytest.raises(NotAllowed):
        services.request_payment(
            actor=anna, network=network, payer_id=member.pk, payee_id=host.pk, cents=1000
        )
    with pytest.raises(NotAllowed):
        services.record_transfer(
            actor=anna, network=network, payee_id=host.pk, cents=1000, request=req
        )


def test_pot_covers_from_contributors(network, host, member, anna) -> None:
    services.contribute_to_pot(actor=anna, network=network, cents=3000)
    services.contribute_to_pot(actor=host, network=network, cents=1000)
    req = services.ask_support(actor=member, network=network, cents=2000, note="krap deze maand")
    with pytest.raises(NotAllowed):
        services.decide_support(actor=anna, request=req, grant=True)
    services.decide_support(actor=host, request=req, grant=True)
    bal = selectors.balances(network)
    assert bal == {member.pk: 2000, anna.pk: -1500, host.pk: -500}
    totals = selectors.pot_totals(network)
    assert (totals.contributed, totals.covered, totals.available) == (4000, 2000, 2000)
    _rows, cov = selectors.coverage(network, start=TODAY, end=TODAY)
    assert (cov.pot, cov.difference) == (2000, 0)  # the pot moves shares, it is no income
    big = services.ask_support(actor=member, network=network, cents=5000)
    with pytest.raises(DomainError, match="not enough"):
        services.decide_support(actor=host, request=big, grant=True)


def test_cost_summary_only_when_switched_on(network, host, member) -> None:
    expense(host, network, 4500)
    assert selectors.cost_summary(network, today=TODAY) is None
    with pytest.raises(NotAllowed):
        services.update_ledger_settings(actor=member, network=network, show_costs_publicly=True)
    services.update_ledger_settings(actor=host, network=network, show_costs_publicly=True)
    summary = selectors.cost_summary(network, today=TODAY)
    assert summary is not None and summary["total_cents"] == 4500
    assert summary["by_category"][0]["category"] == "venue"


def test_coverage_totals(network, host, member) -> None:
    expense(host, network, 4500)
    e = expense(host, network, 1000, category="catering")
    services.reverse_expense(actor=host, expense=e, reason="fout")
    rows, total = selectors.coverage(network, start=TODAY - dt.timedelta(days=30), end=TODAY)
    assert [r.costs for r in rows] == [4500]
    assert total.costs == 4500 and total.contributions == 4500 and total.difference == 0
