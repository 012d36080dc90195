"""Use-cases and selectors: roll-up, corrections, requests with e-mails, health measures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail

from kring.core.errors import DomainError
from kring.results import selectors, services
from kring.results.models import Contribution, RequestStatus, Seek, Unit
from kring.results.requests import services as rs

pytestmark = pytest.mark.django_db
TODAY = "2026-07-02 10:00+02:00"


def log(
    objective: Any, user: Any, amount: int | str, on: date = date(2026, 3, 1), **kw: Any
) -> Any:
    return services.log_contribution(
        actor=user, objective=objective, amount=Decimal(amount), on=on, **kw
    )


@time_machine.travel(TODAY, tick=False)
def test_nested_objectives_roll_up_same_unit_only(make_objective: Any, member: Any) -> None:
    top = make_objective(title="Help starters", target=Decimal(200))
    child = make_objective(title="Bookkeeping clinics", parent=top, target=Decimal(50))
    grandchild = make_objective(title="VAT evenings", parent=child, target=Decimal(20))
    money = make_objective(title="Raised", parent=top, unit=Unit.EUROS, target=Decimal(1000))
    log(top, member, 10)
    log(child, member, 5)
    log(grandchild, member, "2.5")
    log(money, member, 500)
    tree = {p.objective.pk: p for p in selectors.flatten(selectors.objective_tree(top.network))}
    assert tree[grandchild.pk].total == Decimal("2.5")
    assert tree[child.pk].total == Decimal("7.5")
    assert tree[top.pk].total == Decimal("17.5")  # euros are not added to hours
    assert tree[money.pk].total == 500
    assert tree[top.pk].depth == 0 and tree[grandchild.pk].depth == 2


def test_objective_parent_rules(
    make_objective: Any, host: Any, other_network: Any, member: Any
) -> None:
    a = make_objective(title="A")
    b = make_objective(title="B", parent=a)
    with pytest.raises(DomainError):
        services.update_objective(actor=host, objective=a, data={"parent": b})
    with pytest.raises(DomainError) as exc:
        make_objective(unit=Unit.CUSTOM, custom_unit=" ")
    assert exc.value.field == "custom_unit"
    with pytest.raises(DomainError):
        make_objective(period_start=date(2026, 5, 1), period_end=date(2026, 4, 1))
    with pytest.raises(DomainError):
        make_objective(target=Decimal(-1))
    with pytest.raises(DomainError):
        make_objective(actor=member)  # members do not set objectives


@time_machine.travel(TODAY, tick=False)
def test_bad_amounts_and_other_networks(
    make_objective: Any, member: Any, other_member: Any
) -> None:
    o = make_objective()
    for bad in ("0", "-3", "1e12", "1.234"):
        with pytest.raises(DomainError):
            log(o, member, bad)
    with pytest.raises(DomainError):
        log(o, member, 1, on=date(2026, 8, 1))  # future
    with pytest.raises(DomainError):
        log(o, other_member, 1)  # contribution to another network's objective
    assert not Contribution.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_corrections_keep_history(make_objective: Any, member: Any, host: Any) -> None:
    o = make_objective()
    c = log(o, member, 10)
    services.correct_contribution(
        actor=member, contribution=c, new_amount=Decimal(4), reason="typo"
    )
    services.correct_contribution(
        actor=host, contribution=c, new_amount=Decimal(6), reason="checked"
    )
    c.refresh_from_db()
    assert c.amount == 10  # the original is untouched
    assert [x.amount for x in c.corrections.order_by("pk")] == [-6, 2]
    assert selectors.progress_of(o).total == 6
    with pytest.raises(DomainError):
        services.correct_contribution(
            actor=member, contribution=c, new_amount=Decimal(6), reason="same"
        )


@time_machine.travel(TODAY, tick=False)
def test_confirm_by_host_or_beneficiary_only(
    make_objective: Any, member: Any, host: Any, network: Any
) -> None:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    third = UserFactory()
    MembershipFactory(network=network, user=third)
    o = make_objective()
    c = log(o, member, 3, beneficiary=third)
    with pytest.raises(DomainError):
        services.confirm_contribution(actor=member, contribution=c)  # not your own
    services.confirm_contribution(actor=third, contribution=c)
    assert c.confirmed_at is not None and c.confirmed_by == third
    c2 = log(o, member, 3)
    with pytest.raises(DomainError):
        services.confirm_contribution(actor=third, contribution=c2)
    services.confirm_contribution(actor=host, contribution=c2)


@time_machine.travel(TODAY, tick=False)
def test_public_selectors_hide_members_only(
    make_objective: Any, member: Any, public_network: Any
) -> None:
    public = make_objective(title="Public goal", visibility="public")
    secret = make_objective(title="Secret goal", visibility="members", parent=public)
    log(public, member, 10)
    log(secret, member, 90)
    titles = [p.objective.title for p in selectors.public_objectives(public_network)]
    assert titles == ["Public goal"]
    assert selectors.public_objectives(public_network)[0].total == 10  # no leak via roll-up
    impact = selectors.public_impact(public_network)
    assert [p.objective.title for p in impact["objectives"]] == ["Public goal"]
    assert impact["contributions"] == 1
    members_view = selectors.flatten(selectors.objective_tree(public_network))
    assert {p.objective.title for p in members_view} == {"Public goal", "Secret goal"}
    assert members_view[0].total == 100


def test_request_lifecycle_with_emails(help_request: Any, host: Any, member: Any) -> None:
    assert help_request.status == RequestStatus.NEW
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["host@test.example", "sanne@x.example"]
    assert help_request.token in mail.outbox[0].body or help_request.token in mail.outbox[1].body
    assert rs.request_by_token(help_request.token) == help_request
    assert rs.request_by_token("nope") is None
    mail.outbox.clear()
    with pytest.raises(DomainError):
        rs.volunteer(actor=member, request=help_request)  # not triaged yet
    with pytest.raises(DomainError):
        rs.accept_request(actor=member, request=help_request)
    rs.accept_request(actor=host, request=help_request, note="We have a bookkeeper.")
    assert mail.outbox[-1].to == ["sanne@x.example"]
    assert "We have a bookkeeper." in mail.outbox[-1].body
    rs.volunteer(actor=member, request=help_request)
    assert help_request.status == RequestStatus.MATCHED
    with pytest.raises(DomainError):
        rs.set_request_status(actor=member, request=help_request, status=RequestStatus.DONE)
    rs.set_request_status(actor=member, request=help_request, status=RequestStatus.IN_PROGRESS)
    with pytest.raises(DomainError):
        rs.give_feedback(request=help_request, rating=5)
    rs.set_request_status(actor=member, request=help_request, status=RequestStatus.DONE)
    assert help_request.done_at is not None
    assert [m.to[0] for m in mail.outbox].count("sanne@x.example") == 4
    rs.give_feedback(request=help_request, rating=4, text="Great help")
    assert mail.outbox[-1].to == ["host@test.example"]
    with pytest.raises(DomainError):
        rs.give_feedback(request=help_request, rating=5)
    with pytest.raises(DomainError):
        rs.set_request_status(actor=member, request=help_request, status=RequestStatus.CLOSED)
    rs.set_request_status(actor=host, request=help_request, status=RequestStatus.CLOSED)


def test_decline_sends_the_kind_message(help_request: Any, host: Any) -> None:
    mail.outbox.clear()
    with pytest.raises(DomainError):
        rs.decline_request(actor=host, request=help_request, message=" ")
    rs.decline_request(actor=host, request=help_request, message="Sorry, try the KvK.")
    assert help_request.status == RequestStatus.CLOSED and help_request.declined
    assert mail.outbox[-1].to == ["sanne@x.example"]
    assert "Sorry, try the KvK." in mail.outbox[-1].body
    with pytest.raises(DomainError):
        rs.accept_request(actor=host, request=help_request)


def test_request_needs_public_page(network: Any) -> None:
    with pytest.raises(DomainError):
        rs.submit_request(network=network, name="A", email="a@x.example", need="x")


def test_ask_member_and_answer(help_request: Any, host: Any, member: Any) -> None:
    rs.accept_request(actor=host, request=help_request)
    mail.outbox.clear()
    helper = rs.ask_member(actor=host, request=help_request, user=member)
    assert mail.outbox[-1].to == [member.email]
    rs.answer_ask(actor=member, helper=helper, yes=True)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.MATCHED


def test_suggestions_rank_with_reasons(help_request: Any, host: Any, member: Any) -> None:
    from kring.people.services import set_profile_tags

    set_profile_tags(profile=member.profile, tags={"offer": ["boekhouding"], "talent": ["website"]})
    set_profile_tags(profile=host.profile, tags={"offer": ["website"]})
    rs.accept_request(actor=host, request=help_request)
    result = selectors.suggestions(help_request)
    assert [s.user for s in result] == [member, host]
    assert result[0].score > result[1].score
    assert "boekhouding" in result[0].reasons[0]


@time_machine.travel(TODAY, tick=False)
def test_health_selectors(make_objective: Any, member: Any, host: Any, network: Any) -> None:
    on_track = make_objective(title="On track", target=Decimal(100))
    make_objective(title="Behind", target=Decimal(100))
    make_objective(title="Later", period_start=date(2026, 9, 1))
    log(on_track, member, 60)
    assert selectors.objectives_on_track_share(network) == 0.5
    assert selectors.intentions_stated_share(network) == 0
    services.state_intention(actor=member, network=network, seeks=[Seek.LEADS], gives=[])
    assert selectors.intentions_stated_share(network) == 0.5
    log(on_track, member, 1, beneficiary=host)
    assert selectors.external_effort_share(network, date(2026, 1, 1)) == 0.5
    assert selectors.external_effort_share(network, date(2026, 12, 1)) == 0.0


def test_intentions_and_unserved(member: Any, host: Any, network: Any) -> None:
    with pytest.raises(DomainError):
        services.state_intention(actor=member, network=network, seeks=[], gives=[])
    with pytest.raises(DomainError):
        services.state_intention(actor=member, network=network, seeks=["money"], gives=[])
    services.state_intention(
        actor=member, network=network, seeks=[Seek.LEADS, Seek.SPARRING], gives=[Seek.KNOWLEDGE]
    )
    services.state_intention(
        actor=host, network=network, seeks=[Seek.KNOWLEDGE], gives=[Seek.SPARRING]
    )
    unserved = {i.user: missing for i, missing in selectors.unserved_intentions(network)}
    assert list(unserved) == [member] and len(unserved[member]) == 1
    services.pass_referral(actor=host, network=network, to_user=member, lead="A bakery")
    assert selectors.unserved_intentions(network) == []


def test_intention_review_asked_once(member: Any, network: Any) -> None:
    from kring.results.tasks import intention_review_tick

    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        services.state_intention(actor=member, network=network, seeks=[Seek.PEOPLE], gives=[])
    with time_machine.travel("2026-05-01 10:00Z", tick=False):
        from django.utils import timezone

        assert intention_review_tick(timezone.now()) == 0
    with time_machine.travel("2026-07-15 10:00Z", tick=False):
        from django.utils import timezone

        mail.outbox.clear()
        assert intention_review_tick(timezone.now()) == 1
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
        assert intention_review_tick(timezone.now()) == 0


def test_referrals(member: Any, host: Any, network: Any, other_member: Any) -> None:
    with pytest.raises(DomainError):
        services.pass_referral(actor=member, network=network, to_user=member, lead="x")
    with pytest.raises(DomainError):
        services.pass_referral(actor=member, network=network, to_user=other_member, lead="x")
    r = services.pass_referral(actor=member, network=network, to_user=host, lead="Bakery")
    with pytest.raises(DomainError):
        services.update_referral(actor=member, referral=r, status="won")
    with pytest.raises(DomainError):
        services.update_referral(actor=host, referral=r, status="won", value_cents=-5)
    services.update_referral(actor=host, referral=r, status="won", value_cents=150000)
    assert r.value_cents == 150000


def test_progress_series_is_cumulative(make_objective: Any, member: Any) -> None:
    with time_machine.travel(TODAY, tick=False):
        o = make_objective()
        log(o, member, 5, on=date(2026, 1, 10))
        log(o, member, 5, on=date(2026, 3, 10))
        series = selectors.progress_series(o)
    assert [v for _d, v in series] == [5, 5, 10, 10, 10, 10, 10]
    assert series[-1][0] == date(2026, 7, 2)
    assert series[0][0] == date(2026, 1, 31) and series[1][0] - series[0][0] == timedelta(28)
