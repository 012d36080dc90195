"""One permission policy in every app (decision 0002), checked at the use-case level.

The permission matrix (``test_permission_matrix.py``) checks every route; this checks the
services behind them, which any caller (a view, the API, a task, a command) goes through:
someone outside the network gets ``NotFound`` (404) — another network's object looks exactly
like a missing one — and a member where a host is required gets ``NotAllowed`` (403). The
same situation answers the same status in every app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kring.commitment import services as commitment
from kring.core.errors import DomainError, NotAllowed, NotFound
from kring.gatherings import services as gatherings
from kring.introductions import services as introductions
from kring.knowledge import services as knowledge
from kring.ledger import services as ledger
from kring.networks import services as networks
from kring.results import services as results

pytestmark = pytest.mark.django_db

UseCase = Callable[[Any, Any], object]


def _soon() -> dict[str, Any]:
    start = timezone.now() + timedelta(days=7)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


HOST_ONLY: dict[str, UseCase] = {
    "networks": lambda a, n: networks.update_network(actor=a, network=n, data={}),
    "gatherings": lambda a, n: gatherings.create_gathering(
        actor=a, network=n, title="Borrel", **_soon()
    ),
    "introductions": lambda a, n: introductions.update_settings(
        actor=a, network=n, cadence="monthly", publish_automatically=False
    ),
    "ledger": lambda a, n: ledger.update_ledger_settings(
        actor=a, network=n, show_costs_publicly=True
    ),
    "results": lambda a, n: results.create_objective(
        actor=a,
        network=n,
        title="Starters",
        target=Decimal(10),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    ),
    "commitment": lambda a, n: commitment.update_settings(actor=a, network=n, data={}),
}

MEMBERS_ONLY: dict[str, UseCase] = {
    "gatherings": lambda a, n: gatherings.set_discussion_emails(actor=a, network=n, enabled=True),
    "introductions": lambda a, n: introductions.block_person(actor=a, network=n, other_id=0),
    "ledger": lambda a, n: ledger.contribute_to_pot(actor=a, network=n, cents=100),
    "results": lambda a, n: results.state_intention(actor=a, network=n, seeks=[], gives=[]),
    "knowledge": lambda a, n: knowledge.create_post(actor=a, network=n, title="T", body="B"),
}


def _status(use_case: UseCase, actor: Any, network: Any) -> type[DomainError]:
    with pytest.raises(DomainError) as caught:
        use_case(actor, network)
    return type(caught.value)


@pytest.mark.parametrize("app", sorted(HOST_ONLY))
def test_host_only_use_cases(app: str, network: Any, member: Any, other_member: Any) -> None:
    use_case = HOST_ONLY[app]
    assert _status(use_case, other_member, network) is NotFound
    assert _status(use_case, member, network) is NotAllowed
    assert NotFound.status == 404 and NotAllowed.status == 403


@pytest.mark.parametrize("app", sorted(MEMBERS_ONLY))
def test_members_only_use_cases(app: str, network: Any, other_member: Any) -> None:
    assert _status(MEMBERS_ONLY[app], other_member, network) is NotFound
