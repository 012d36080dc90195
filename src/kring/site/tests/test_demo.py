"""The demo: seeded idempotently, with working logins, showing every capability."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate

from kring.commitment import selectors as commitment_selectors
from kring.commitment import sources
from kring.introductions.models import Participant
from kring.networks.models import Membership, Role
from kring.site.demo import DEMO_PASSWORD, DEMO_SLUG, seed_all


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "people",
            "networks",
            "gatherings",
            "introductions",
            "ledger",
            "results",
            "knowledge",
            "commitment",
            "conversations",
        }
    }


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_is_idempotent_and_logins_work(client: Any) -> None:
    seed_all(log=lambda *_: None)
    first = _counts()
    seed_all(log=lambda *_: None)
    assert _counts() == first, "a second `kring demo` must not add or remove anything"

    assert first["people.User"] >= 40
    for label in [
        "gatherings.Gathering",
        "introductions.Round",
        "ledger.Expense",
        "results.Objective",
        "knowledge.Post",
        "commitment.Application",
        "conversations.Conversation",
        "conversations.Message",
        "conversations.Report",
    ]:
        assert first.get(label, 0) > 0, f"the demo shows nothing of {label}"
    # The table plan seats the Open Coffee's guests by name next to its members.
    plan = Participant.objects.filter(round__network__slug=DEMO_SLUG, round__kind="tables")
    assert plan.filter(guest__isnull=False).exists() and plan.filter(user__isnull=False).exists()

    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")
    host = authenticate(request, email="host@example.org", password=DEMO_PASSWORD)
    member = authenticate(request, email="member@example.org", password=DEMO_PASSWORD)
    assert host is not None and member is not None
    assert Membership.objects.get(network__slug=DEMO_SLUG, user=host).role == Role.HOST
    assert Membership.objects.get(network__slug=DEMO_SLUG, user=member).role == Role.MEMBER
    assert Membership.objects.filter(user=member).count() == 2  # also in the second network

    client.force_login(member)
    assert client.get(f"/n/{DEMO_SLUG}/home/").status_code == 200
    assert client.get(f"/n/{DEMO_SLUG}/people/").status_code == 200


@pytest.mark.slow
@pytest.mark.django_db
def test_every_health_source_reports_data_on_the_demo() -> None:
    """The engagement and health sources call the other apps directly: on the demo, every one
    of them has something to say (a broken interface fails here instead of reading as "no
    data")."""
    ctx = seed_all(log=lambda *_: None)
    network, since = ctx.network, ctx.now - timedelta(days=365)
    assert sources.attendance(network, since)
    assert sources.gatherings_held(network, since) > 0
    assert sources.action_items(network, since)
    assert sources.introductions(network, since)
    assert sources.contributions(network, since)
    assert sources.conversation(network, since)
    assert sources.external_effort_share(network, since) > 0
    assert sources.acquaintance_coverage(network) > 0
    assert sources.objectives_on_track_share(network) >= 0
    assert sources.intentions_stated_share(network) > 0
    assert sources.gatherings_shares(network, since)
    assert sources.ledger_health(network)["transparency"] is not None
    assert sources.objectives(network)
    cards = commitment_selectors.network_health(network, now=ctx.now)
    assert all(c.score is not None for c in cards), [c.key for c in cards if c.score is None]
