"""A host puts the network on the fediverse and shows a held reply; a visitor copies the handle."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def fed_setup(transactional_db: Any, settings: Any, live_server: Any) -> Any:
    from kring.knowledge.services import create_post
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    settings.SITE_URL = live_server.url
    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu", public_page_enabled=True)
    host = UserFactory(email="host@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    post = create_post(
        actor=host, network=network, title="Eerste klant", body="x", visibility="public"
    )
    return network, host, post


def test_host_federates_and_moderates_a_reply(
    browser: Any, live_server: Any, login: Any, fed_setup: Any
) -> None:
    from kring.federation import documents
    from kring.federation.models import RemoteActor, RemoteReply

    network, _host, post = fed_setup
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-GB"
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "host@example.org")

    page.goto(f"{live_server.url}/n/anno-nu/federation/")
    page.get_by_label("Put this network on the fediverse").check()
    page.get_by_role("button", name="Save").click()
    handle = f"@anno-nu@{live_server.url.split('://', 1)[1]}"
    expect(page.get_by_text(handle)).to_be_visible()

    # A reply arrives from the fediverse (as the inbox would store it) and waits.
    actor = RemoteActor.objects.create(
        ap_id="https://mastodon.example/users/jan",
        domain="mastodon.example",
        username="jan",
        name="Jan de Vries",
    )
    RemoteReply.objects.create(
        network=network,
        actor=actor,
        ap_id="https://mastodon.example/users/jan/statuses/1",
        in_reply_to=documents.article_id(post),
        post=post,
        content="<p>Mooi stuk!</p>",
    )
    page.goto(f"{live_server.url}/n/anno-nu/federation/replies/")
    expect(page.get_by_text("Mooi stuk!")).to_be_visible()
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("No replies are waiting.")).to_be_visible()

    # A visitor sees the reply under the post and the handle with its copy button.
    visitor = browser.new_context(locale="en-GB")
    visitor.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    visitor.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    public = visitor.new_page()
    public.on("pageerror", lambda exc: errors.append(str(exc)))
    public.goto(f"{live_server.url}/n/anno-nu/posts/{post.pk}/")
    expect(public.get_by_text("Mooi stuk!")).to_be_visible()
    expect(public.get_by_text("Jan de Vries")).to_be_visible()
    public.goto(f"{live_server.url}/n/anno-nu/")
    expect(public.locator("#fediverse-handle")).to_have_text(handle)
    copy = public.get_by_role("button", name="Copy", exact=True)
    expect(copy).to_be_visible()
    copy.click()
    expect(public.get_by_role("button", name="Copied")).to_be_visible()
    assert public.evaluate("navigator.clipboard.readText()") == handle
    assert errors == []
