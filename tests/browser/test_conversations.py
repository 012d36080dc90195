"""Two members write to each other after an introduction, in two browsers."""

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
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Host")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    MemberPreference.objects.create(network=network, user=host, paused=True)
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    bram = UserFactory(email="bram@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=bram)
    round_ = services.start_round(actor=host, network=network, seed=1)
    services.publish_round(actor=host, round_=round_)
    return {"member": member, "bram": bram}


def _login(page: Any, base: str, email: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password").fill("kring-test-pw")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state()


def test_two_members_write_to_each_other_after_an_introduction(
    browser: Any, live_server: Any, introduced: dict[str, Any]
) -> None:
    base = live_server.url
    mila = browser.new_context().new_page()
    bram = browser.new_context().new_page()
    try:
        _login(mila, base, "member@example.org")
        mila.goto(f"{base}/n/anno-nu/introductions/")
        # A proposed time becomes a structured message in the introduction's conversation.
        mila.get_by_label("When").fill("Thursday 10:00")
        mila.get_by_label("Where").fill("Café De Rode Draad")
        mila.get_by_role("button", name="Send proposal").click()
        mila.get_by_role("link", name="Write to Bram Jansen").click()
        expect(mila.get_by_role("heading", name="Conversation with Bram Jansen")).to_be_visible()
        expect(mila.get_by_text("Thursday 10:00 · Café De Rode Draad")).to_be_visible()
        mila.get_by_label("Your message").fill("Does that suit you? https://example.org/map")
        mila.get_by_role("button", name="Send").click()
        expect(mila.get_by_role("link", name="https://example.org/map")).to_be_visible()

        _login(bram, base, "bram@example.org")
        bram.goto(f"{base}/n/anno-nu/home/")
        nav = bram.get_by_role("banner")  # the top bar: messages are an icon with a count
        expect(nav.get_by_role("link", name="Messages 2 unread")).to_be_visible()
        nav.get_by_role("link", name="Messages 2 unread").click()
        bram.get_by_role("link", name="Mila de Jong").click()
        expect(bram.get_by_text("Thursday 10:00 · Café De Rode Draad")).to_be_visible()
        expect(bram.get_by_text("Does that suit you?")).to_be_visible()
        bram.get_by_label("Your message").fill("Perfect, see you there!")
        bram.get_by_role("button", name="Send").click()
        expect(bram.get_by_text("Perfect, see you there!")).to_be_visible()
        expect(nav.get_by_role("link", name="Messages 2 unread")).to_have_count(0)

        mila.reload()
        expect(mila.get_by_text("Perfect, see you there!")).to_be_visible()
        # Nobody's e-mail address is shown to the other side.
        assert "bram@example.org" not in mila.content()
        assert "member@example.org" not in bram.content()
    finally:
        mila.context.close()
        bram.context.close()
