"""A member uploads a photo; fellow members see it, another network's member cannot fetch it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Any]:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Vermeulen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    stranger = UserFactory(email="other@example.org", profile__display_name="Olga Elders")
    MembershipFactory(network=NetworkFactory(slug="elders"), user=stranger)
    return {"network": network, "member": member, "host": host}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), "teal").save(out, format="PNG")
    return out.getvalue()


def test_photo_is_shown_to_members_and_private_to_others(
    page: Any, live_server: Any, people: dict[str, Any], login: Any
) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, "member@example.org")
    page.goto(f"{live_server.url}/me/edit/")
    page.locator("#id_photo").set_input_files(
        files=[{"name": "mila.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state()

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, "host@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/people/")
    avatar = page.locator("img.avatar").first
    expect(avatar).to_be_visible()
    src = avatar.get_attribute("src") or ""
    assert src.startswith("/n/anno-nu/people/") and src.endswith("/photo/")
    assert page.evaluate("img => img.complete && img.naturalWidth", avatar.element_handle()) == 512

    page.context.clear_cookies()
    assert page.request.get(f"{live_server.url}{src}", max_redirects=0).status == 302
    login(page, "other@example.org")
    assert page.request.get(f"{live_server.url}{src}").status == 404
