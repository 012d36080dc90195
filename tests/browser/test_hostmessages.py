"""A host writes to the members in a real browser: preview who gets it, send, and a member
reads it under "From the hosts" (and got it by e-mail, unescaped)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def setting(transactional_db: Any) -> dict[str, Any]:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Vermeulen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    return {"network": network, "host": host, "member": member}


def test_host_writes_to_members(
    page: Any, live_server: Any, login: Any, logout: Any, setting: dict[str, Any]
) -> None:
    from django.core import mail

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, "host@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/from-the-hosts/")
    page.get_by_role("link", name="Write to members").click()
    page.get_by_label("To").select_option("all")
    page.get_by_label("Subject").fill("Q&A met O'Brien")
    page.get_by_label("Message").fill("Lees de agenda vooraf: https://example.org/agenda")
    page.get_by_role("button", name="Preview recipients").click()
    expect(page.get_by_role("heading", name="1 person will get this")).to_be_visible()
    expect(page.get_by_role("list", name="1 person will get this")).to_contain_text("Mila de Jong")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Your message is on its way to 1 member.")).to_be_visible()
    expect(page.get_by_role("heading", name="Q&A met O'Brien")).to_be_visible()

    [sent] = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert sent.subject == "Netwerk anno nu: Q&A met O'Brien"
    assert "https://example.org/agenda" in sent.body

    logout(page)
    login(page, "member@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/from-the-hosts/")
    expect(page.get_by_role("heading", name="Q&A met O'Brien")).to_be_visible()
    expect(page.get_by_role("link", name="https://example.org/agenda")).to_be_visible()
    expect(page.get_by_role("link", name="Write to members")).to_have_count(0)
