"""A member sees why they were introduced and marks the introduction as met."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def introduced(transactional_db: Any) -> dict[str, Any]:
    from kring.introductions import services
    from kring.introductions.models import MemberPreference
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.services import set_profile_tags
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Host")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    MemberPreference.objects.create(network=network, user=host, paused=True)
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    set_profile_tags(
        profile=member.profile, tags={"seek": ["websites"], "passion": ["duurzaamheid"]}
    )
    bram = UserFactory(email="bram@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=bram)
    set_profile_tags(
        profile=bram.profile, tags={"offer": ["websites"], "passion": ["duurzaamheid"]}
    )
    round_ = services.start_round(actor=host, network=network, seed=1)
    services.publish_round(actor=host, round_=round_)
    return {"member": member, "bram": bram}


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password").fill("kring-test-pw")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state()


def test_member_sees_reasons_and_marks_met(
    page: Any, live_server: Any, introduced: dict[str, Any]
) -> None:
    from kring.introductions.models import Participant

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    _login(page, live_server.url, "member@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/introductions/")
    current = page.get_by_role("region", name="Your introduction")
    expect(current.get_by_role("link", name="Bram Jansen", exact=True)).to_be_visible()
    expect(
        current.get_by_text("Bram Jansen offers websites, which you are looking for.")
    ).to_be_visible()
    expect(current.get_by_text("You share a passion for duurzaamheid.")).to_be_visible()
    page.get_by_label("We met").check()
    page.get_by_label("Private note (only you see it)").fill("Koffie bij De Rode Draad")
    current.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. Thank you!")).to_be_visible()
    expect(page.get_by_label("We met")).to_be_checked()
    p = Participant.objects.get(user=introduced["member"])
    assert p.outcome == "met" and p.note == "Koffie bij De Rode Draad"
