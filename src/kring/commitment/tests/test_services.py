from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kring.commitment import selectors, services
from kring.commitment.models import (
    Application,
    ApplicationStatus,
    CharterVersion,
    DeletedApplicationTally,
    LowEngagementNote,
)
from kring.commitment.tokens import verification_token
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.networks.models import Membership, MembershipStatus
from kring.networks.services import set_membership_status
from kring.people.models import User

pytestmark = pytest.mark.django_db


# --- Charter ---------------------------------------------------------------------------------


def test_charter_reacceptance_flow(network: Any, host: Any, member: Any) -> None:
    mship = Membership.objects.get(network=network, user=member)
    assert not selectors.needs_reacceptance(mship)
    version = services.publish_charter(
        actor=host,
        network=network,
        text="Come to most gatherings.\nRead the agenda.",
        summary="Reading the agenda",
    )
    assert version.number == 2  # version 1 is the foundation's text
    assert CharterVersion.objects.get(network=network, number=1).text == "Come to most gatherings."
    network.refresh_from_db()
    assert network.charter == "Come to most gatherings.\nRead the agenda."
    mship.refresh_from_db()
    assert selectors.needs_reacceptance(mship)
    # the publishing host accepted it by publishing
    assert not selectors.needs_reacceptance(Membership.objects.get(network=network, user=host))
    diff = selectors.charter_diff(selectors.accepted_version(mship).text, version.text)
    assert [(d.kind, d.text) for d in diff] == [
        ("same", "Come to most gatherings."),
        ("added", "Read the agenda."),
    ]
    assert [m.to for m in mail.outbox] == [["member@test.example"]]
    services.accept_charter(actor=member, network=network)
    mship.refresh_from_db()
    assert not selectors.needs_reacceptance(mship)


def test_publish_refusals(network: Any, host: Any, member: Any) -> None:
    with pytest.raises(NotAllowed):
        services.publish_charter(actor=member, network=network, text="x")
    with pytest.raises(DomainError):
        services.publish_charter(actor=host, network=network, text="  ")
    with pytest.raises(Conflict):
        services.publish_charter(actor=host, network=network, text="Come to most gatherings.")
    assert CharterVersion.objects.filter(network=network, number__gt=1).count() == 0


def test_paused_members_get_no_charter_reminder(network: Any, host: Any, member: Any) -> None:
    set_membership_status(
        actor=member, membership=Membership.objects.get(user=member), status=MembershipStatus.PAUSED
    )
    services.publish_charter(actor=host, network=network, text="New text")
    assert mail.outbox == []


# --- Applications ----------------------------------------------------------------------------


def test_application_lifecycle_accept_creates_account(submit: Any, host: Any) -> None:
    app = submit(gives="Een netwerk", seeks="Klanten")
    assert app.status == ApplicationStatus.UNVERIFIED
    assert mail.outbox[-1].to == ["new@example.org"]
    token = verification_token(app)
    app = services.verify_application(token=token)
    assert app.status == ApplicationStatus.PENDING
    assert mail.outbox[-1].to == ["host@test.example"]  # hosts told
    app = services.decide_application(
        actor=host, application=app, decision="accept", message="Welkom!"
    )
    user = User.objects.get(email="new@example.org")
    assert app.user == user and app.status == ApplicationStatus.ACCEPTED
    assert Membership.objects.get(network=app.network, user=user).status == "active"
    assert user.profile.passion == "Starters helpen" and user.profile.offers == "Een netwerk"
    assert user.emailaddress_set.get().verified
    welcome = mail.outbox[-1]
    assert welcome.to == ["new@example.org"]
    assert "/accounts/password/reset/key/" in welcome.body
    assert "Come to most gatherings." in welcome.body


def test_accept_links_existing_account(submit: Any, host: Any, outsider: Any) -> None:
    app = services.verify_application(
        token=verification_token(submit(email="outsider@test.example"))
    )
    services.decide_application(actor=host, application=app, decision="accept")
    assert Membership.objects.filter(network=app.network, user=outsider).exists()
    assert User.objects.filter(email__iexact="outsider@test.example").count() == 1


def test_application_refusals(submit: Any, host: Any, member: Any, apply_network: Any) -> None:
    with pytest.raises(DomainError) as exc:
        submit(accept_charter=False)
    assert exc.value.field == "accept_charter"
    with pytest.raises(DomainError):
        submit(heard_via="telepathy")
    app = services.verify_application(token=verification_token(submit()))
    with pytest.raises(Conflict):
        submit()  # already applied
    with pytest.raises(NotAllowed):
        services.decide_application(actor=member, application=app, decision="accept")
    with pytest.raises(DomainError):
        services.verify_application(token="nonsense")
    apply_network.join_policy = "invite"
    apply_network.save()
    with pytest.raises(NotAllowed):
        submit(email="late@example.org")


def test_waitlist_when_full(submit: Any, host: Any, member: Any, apply_network: Any) -> None:
    services.update_settings(actor=host, network=apply_network, data={"max_members": 2})
    app = services.verify_application(token=verification_token(submit()))
    with pytest.raises(Conflict):
        services.decide_application(actor=host, application=app, decision="accept")
    assert not User.objects.filter(email="new@example.org").exists()  # nothing half-saved
    app = services.decide_application(actor=host, application=app, decision="waitlist")
    assert app.status == ApplicationStatus.WAITLISTED
    assert "wachtlijst" in mail.outbox[-1].body  # the network's language (nl)


def test_member_advice_needs_the_setting(
    submit: Any, host: Any, member: Any, apply_network: Any
) -> None:
    app = services.verify_application(token=verification_token(submit()))
    with pytest.raises(NotAllowed):
        services.add_advice(actor=member, application=app, text="Goed idee")
    services.update_settings(actor=host, network=apply_network, data={"members_may_advise": True})
    services.add_advice(actor=member, application=app, text="Goed idee")
    assert app.advice.count() == 1


def test_declined_applications_are_deleted_after_28_days(
    submit: Any, host: Any, apply_network: Any
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        app = services.verify_application(token=verification_token(submit()))
        services.decide_application(actor=host, application=app, decision="decline")
        assert "na 28 dagen verwijderd" in mail.outbox[-1].body
        stale = submit(email="never@example.org")  # never confirmed
    with time_machine.travel(start + timedelta(days=27), tick=False):
        assert services.purge_declined() == 0
        assert Application.objects.filter(pk=app.pk).exists()
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert services.purge_declined() == 2
        assert not Application.objects.filter(pk__in=[app.pk, stale.pk]).exists()
        tally = DeletedApplicationTally.objects.get(network=apply_network)
        assert tally.count == 1 and tally.heard_via == "own"
        data = selectors.funnel(apply_network)
        assert data["total"] == 1 and data["acceptance_rate"] == 0.0


def test_funnel_spontaneous_share_and_retention(submit: Any, host: Any, apply_network: Any) -> None:
    start = timezone.now() - timedelta(days=200)
    with time_machine.travel(start, tick=False):
        a = services.verify_application(token=verification_token(submit()))
        services.decide_application(actor=host, application=a, decision="accept")
    for email, via in [
        ("b@example.org", "member"),
        ("c@example.org", "social"),
        ("d@example.org", "gathering"),
    ]:
        services.verify_application(token=verification_token(submit(email=email, heard_via=via)))
    data = selectors.funnel(apply_network)
    assert data["total"] == 4
    assert data["spontaneous_share"] == 0.75  # own, social, gathering — not "member"
    assert data["acceptance_rate"] == 1.0
    assert data["retained_share"] == 1.0 and data["retained_base"] == 1
    chart = selectors.funnel_chart(data)
    assert len(chart["bars"]) == 12


# --- Engagement: low notes and pausing --------------------------------------------------------


def test_low_engagement_one_kind_email_and_pause_stops_it(
    network: Any, host: Any, member: Any, monkeypatch: Any
) -> None:
    from kring.commitment import engagement

    Membership.objects.filter(network=network).update(
        joined_at=timezone.now() - timedelta(days=365)
    )
    scores = {
        "value": engagement.Activity(gatherings_held=4, gatherings_attended=0, agendas_read=0)
    }
    monkeypatch.setattr(
        selectors,
        "network_activity",
        lambda network, since, memberships: {m.user_id: scores["value"] for m in memberships},
    )
    mailed = services.low_engagement_round(network=network)
    assert sorted(mailed) == sorted([host.pk, member.pk])
    assert {m.to[0] for m in mail.outbox} == {"host@test.example", "member@test.example"}
    # once per low period: a second round sends nothing
    assert services.low_engagement_round(network=network) == []
    # recovering closes the period; dropping again opens a new one
    scores["value"] = engagement.Activity(gatherings_held=4, gatherings_attended=4, agendas_read=4)
    services.low_engagement_round(network=network)
    assert LowEngagementNote.objects.filter(closed_at__isnull=True).count() == 0
    # a paused member is never reminded
    set_membership_status(
        actor=member, membership=Membership.objects.get(user=member), status=MembershipStatus.PAUSED
    )
    scores["value"] = engagement.Activity(gatherings_held=4, gatherings_attended=0)
    mail.outbox.clear()
    assert services.low_engagement_round(network=network) == [host.pk]
    assert [m.to for m in mail.outbox] == [["host@test.example"]]


def test_health_on_a_built_network(
    submit: Any, host: Any, member: Any, apply_network: Any, monkeypatch: Any
) -> None:
    from kring.commitment import sources

    for email, via in [("a@example.org", "own"), ("b@example.org", "member")]:
        services.verify_application(token=verification_token(submit(email=email, heard_via=via)))
    monkeypatch.setattr(sources, "acquaintance_coverage", lambda network: 0.4)
    monkeypatch.setattr(sources, "external_effort_share", lambda network, since: None)
    cards = {c.key: c for c in selectors.network_health(apply_network)}
    assert cards["growth"].score == 50
    assert cards["people"].score == 40 and cards["people"].to_improve
    assert cards["focus"].score is None
    assert selectors.public_health(apply_network) is None
    services.update_settings(actor=host, network=apply_network, data={"publish_health": True})
    public = selectors.public_health(apply_network)
    assert public is not None and {c["key"] for c in public["conditions"]} >= {"growth"}


def test_snapshot_once_per_month(network: Any, member: Any) -> None:
    assert services.snapshot_month(network=network) == 1
    assert services.snapshot_month(network=network) == 0


def test_pausing_stops_cost_shares(network: Any, host: Any, member: Any) -> None:
    """How costs follow a pause: the ledger's default equal split takes active members only."""
    from kring.ledger import services as ledger

    split = ledger.compute_split(network=network, amount_cents=1000, method="equal")
    assert split == {host.pk: 500, member.pk: 500}
    set_membership_status(
        actor=member, membership=Membership.objects.get(user=member), status=MembershipStatus.PAUSED
    )
    assert ledger.compute_split(network=network, amount_cents=1000, method="equal") == {
        host.pk: 1000
    }
