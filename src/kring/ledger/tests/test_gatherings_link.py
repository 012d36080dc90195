"""The ledger with the gatherings app: checked-in splits, contribution ceiling, BYO in coverage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kring.core.errors import DomainError, NotAllowed
from kring.gatherings import models as gmodels
from kring.ledger import selectors, services
from kring.ledger.models import SplitMethod

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


@pytest.fixture
def gathering(network: Any, host: Any, member: Any, anna: Any) -> Any:
    start = dt.datetime(2026, 11, 10, 18, 0, tzinfo=dt.UTC)
    g = gmodels.Gathering.objects.create(
        network=network,
        title="Novemberavond",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    for who in (host, member):
        gmodels.Rsvp.objects.create(gathering=g, user=who, status="going", checked_in_at=start)
    gmodels.Rsvp.objects.create(gathering=g, user=anna, status="going")  # not checked in
    gmodels.ByoItem.objects.create(gathering=g, label="Beamer", claimed_by=anna, claimed_at=start)
    return g


def test_split_among_checked_in(network, host, member, anna, gathering) -> None:
    e = services.record_expense(
        actor=host,
        network=network,
        payer_id=host.pk,
        amount_cents=9001,
        spent_on=DAY,
        description="Zaalhuur",
        category="venue",
        split_method=SplitMethod.CHECKED_IN,
        gathering_id=gathering.pk,
    )
    assert dict(e.shares.values_list("user_id", "cents")) == {host.pk: 4501, member.pk: 4500}


def test_checked_in_needs_a_gathering_with_attendees(
    network, host, gathering, other_network
) -> None:
    with pytest.raises(DomainError) as err:
        services.record_expense(
            actor=host,
            network=network,
            payer_id=host.pk,
            amount_cents=100,
            spent_on=DAY,
            description="x",
            category="other",
            split_method=SplitMethod.CHECKED_IN,
        )
    assert err.value.field == "gathering_id"
    start = dt.datetime(2026, 11, 10, 18, 0, tzinfo=dt.UTC)
    elsewhere = gmodels.Gathering.objects.create(
        network=other_network,
        title="Elders",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    with pytest.raises(DomainError, match="No such gathering"):
        services.record_expense(
            actor=host,
            network=network,
            payer_id=host.pk,
            amount_cents=100,
            spent_on=DAY,
            description="x",
            category="other",
            split_method=SplitMethod.EQUAL,
            gathering_id=elsewhere.pk,
        )


def test_contribution_never_above_real_costs(network, host, member, gathering) -> None:
    services.record_expense(
        actor=host,
        network=network,
        payer_id=host.pk,
        amount_cents=9001,
        spent_on=DAY,
        description="Zaalhuur",
        category="venue",
        split_method=SplitMethod.CHECKED_IN,
        gathering_id=gathering.pk,
    )
    with pytest.raises(DomainError, match="at most 4500"):
        services.set_contribution(
            actor=host, network=network, gathering_id=gathering.pk, cents=4501
        )
    with pytest.raises(NotAllowed):
        services.set_contribution(
            actor=member, network=network, gathering_id=gathering.pk, cents=100
        )
    services.set_contribution(actor=host, network=network, gathering_id=gathering.pk, cents=4500)
    rows, total = selectors.coverage(network, start=dt.date(2026, 11, 1), end=DAY)
    (row,) = rows
    assert (row.title, row.costs, row.contribution_per_attendee, row.byo) == (
        "Novemberavond",
        9001,
        4500,
        ["Beamer"],
    )
    assert total.difference == 0


def test_walk_ins_and_guests_count_in_the_attendance_for_cost_coverage(
    network, host, member, gathering
) -> None:
    """Issue 13: walk-ins and guests who came are in the attendance the contribution per
    attendee is measured against (the real costs divided by everyone who came)."""
    from kring.gatherings import services as gathering_services

    services.record_expense(
        actor=host,
        network=network,
        payer_id=host.pk,
        amount_cents=9000,
        spent_on=DAY,
        description="Zaalhuur",
        category="venue",
        split_method=SplitMethod.EQUAL,
        gathering_id=gathering.pk,
    )
    # host and member checked in; anna said going but did not come
    with pytest.raises(DomainError, match="at most 4500 cents"):
        services.set_contribution(
            actor=host, network=network, gathering_id=gathering.pk, cents=4501
        )
    walk_in = gathering_services.add_walk_in(actor=host, gathering=gathering, name="Wanda")
    assert walk_in.checked_in_at is not None
    with pytest.raises(DomainError, match=r"at most 3000 cents.*divided by 3 attendees"):
        services.set_contribution(
            actor=host, network=network, gathering_id=gathering.pk, cents=3001
        )
    gmodels.Rsvp.objects.create(  # a guest who signed up and was checked in at the door
        gathering=gathering,
        guest_name="Gijs",
        guest_email="gijs@example.net",
        status="going",
        checked_in_at=gathering.starts_at,
    )
    gmodels.Rsvp.objects.create(  # a guest who signed up but never came: not counted
        gathering=gathering, guest_name="Greet", guest_email="greet@example.net", status="going"
    )
    with pytest.raises(DomainError, match="at most 2250 cents"):
        services.set_contribution(
            actor=host, network=network, gathering_id=gathering.pk, cents=2251
        )
    services.set_contribution(actor=host, network=network, gathering_id=gathering.pk, cents=2250)
    rows, _total = selectors.coverage(network, start=dt.date(2026, 11, 1), end=DAY)
    assert rows[0].contribution_per_attendee == 2250
