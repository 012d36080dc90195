"""A hypothesis state machine over the ledger's services: balances always sum to zero."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from kring.core.errors import Conflict, DomainError
from kring.ledger import selectors, services
from kring.ledger.models import Expense, Transfer, TransferStatus

_counter = itertools.count()


@pytest.mark.django_db
def test_balances_always_sum_to_zero() -> None:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    users = [UserFactory(email=f"sm{i}@test.example") for i in range(4)]

    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.network = NetworkFactory(slug=f"sm-{next(_counter)}")
            for i, u in enumerate(users):
                MembershipFactory(
                    network=self.network, user=u, role=Role.HOST if i == 0 else Role.MEMBER
                )
            self.expected_expenses = 0
            self.keys: dict[tuple[int, str], int] = {}  # (payer, key) -> expense id
            self.bodies: dict[tuple[int, str], dict[str, Any]] = {}

        @rule(
            payer=st.integers(0, 3),
            cents=st.integers(-5, 100_000),
            method=st.sampled_from(["equal", "shares", "exact"]),
            who=st.lists(st.integers(0, 3), min_size=1, max_size=4, unique=True),
            weights=st.lists(st.integers(0, 5), min_size=4, max_size=4),
            key=st.sampled_from(["", "a", "b"]),
        )
        def add_expense(
            self, payer: int, cents: int, method: str, who: list[int], weights: list[int], key: str
        ) -> None:
            ids = [users[i].pk for i in who]
            kw: dict[str, Any] = {}
            if method == "equal":
                kw["member_ids"] = ids
            elif method == "shares":
                kw["shares"] = {uid: weights[n] for n, uid in enumerate(ids)}
            else:  # exact: everything on the first, sometimes off by one cent
                kw["amounts"] = {ids[0]: cents + (weights[0] == 5)}
            before = Expense.objects.filter(network=self.network).count()
            try:
                e = services.record_expense(
                    actor=users[payer],
                    network=self.network,
                    payer_id=users[payer].pk,
                    amount_cents=cents,
                    spent_on=dt.date(2026, 11, 1),
                    description="x",
                    category="other",
                    split_method=method,
                    idempotency_key=key,
                    **kw,
                )
            except Conflict:  # only a used key with another body
                assert key and (payer, key) in self.keys
                assert Expense.objects.filter(network=self.network).count() == before
                return
            except DomainError:
                assert Expense.objects.filter(network=self.network).count() == before
                return
            after = Expense.objects.filter(network=self.network).count()
            if key and (payer, key) in self.keys:  # a retry: the same expense, nothing new
                assert e.pk == self.keys[(payer, key)] and after == before
            else:
                assert after == before + 1
                if key:
                    self.keys[(payer, key)] = e.pk
                    self.bodies[(payer, key)] = {
                        "payer": payer,
                        "cents": cents,
                        "method": method,
                        "kw": kw,
                    }
            assert sum(e.shares.values_list("cents", flat=True)) == e.amount_cents

        @precondition(lambda self: bool(self.bodies))
        @rule(data=st.data())
        def retry(self, data: st.DataObject) -> None:
            """A client retries a request with the same Idempotency-Key and body."""
            if not self.bodies:
                return
            (payer, key), b = data.draw(st.sampled_from(sorted(self.bodies.items())))
            before = Expense.objects.count()
            e = services.record_expense(
                actor=users[payer],
                network=self.network,
                payer_id=users[payer].pk,
                amount_cents=b["cents"],
                spent_on=dt.date(2026, 11, 1),
                description="x",
                category="other",
                split_method=b["method"],
                idempotency_key=key,
                **b["kw"],
            )
            assert e.pk == self.keys[(payer, key)] and Expense.objects.count() == before
            event("idempotent retry")

        @rule(data=st.data())
        def reverse(self, data: st.DataObject) -> None:
            open_ = list(
                Expense.objects.filter(
                    network=self.network, reverses__isnull=True, reversal__isnull=True
                )
            )
            if not open_:
                return
            e = data.draw(st.sampled_from(open_))
            services.reverse_expense(actor=users[0], expense=e, reason="correctie")

        @rule(
            payer=st.integers(0, 3),
            payee=st.integers(0, 3),
            cents=st.integers(1, 50_000),
            confirm=st.booleans(),
        )
        def transfer(self, payer: int, payee: int, cents: int, confirm: bool) -> None:
            try:
                t = services.record_transfer(
                    actor=users[payer], network=self.network, payee_id=users[payee].pk, cents=cents
                )
            except DomainError:
                assert payer == payee
                return
            services.decide_transfer(actor=users[payee], transfer=t, confirm=confirm)
            assert Transfer.objects.get(pk=t.pk).status == (
                TransferStatus.CONFIRMED if confirm else TransferStatus.DECLINED
            )

        @invariant()
        def zero_sum(self) -> None:
            assert sum(selectors.balances(self.network).values()) == 0

        @invariant()
        def running_totals_are_the_entries(self) -> None:
            truth = selectors.balances_from_entries(self.network)
            assert selectors.balances(self.network) == truth

        @invariant()
        def settle_up_zeroes(self) -> None:
            bal = selectors.balances(self.network)
            for t in selectors.settle_suggestions(self.network):
                bal[t.payer] += t.cents
                bal[t.payee] -= t.cents
            assert set(bal.values()) <= {0}

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=6,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
