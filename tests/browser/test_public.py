"""A visitor opens the public page on a phone: no CSP violations, no serious a11y issues."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious


@pytest.fixture
def public_network(transactional_db: Any) -> Any:
    from kring.knowledge.services import create_post
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.models import Visibility
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(
        slug="anno-nu",
        name="Netwerk anno nu",
        public_page_enabled=True,
        for_whom="Starters in Utrecht",
        offer_to_third_parties="Gratis advies voor starters.",
    )
    host = UserFactory(email="host@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    host.profile.visibility = Visibility.PUBLIC
    host.profile.passion = "Starters helpen met hun boekhouding."
    host.profile.save()
    hidden = UserFactory(email="hidden@example.org", profile__display_name="Verborgen Persoon")
    MembershipFactory(network=network, user=hidden)
    create_post(
        actor=host,
        network=network,
        title="Wat we leerden over de eerste klant",
        body="**Je netwerk eerst.**",
        visibility="public",
        tags="sales",
    )
    create_post(actor=host, network=network, title="Intern verslag", body="x", visibility="members")
    return network


def test_public_page_on_a_phone(browser: Any, live_server: Any, public_network: Any) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    violations: list[str] = []
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "{ (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    page.goto(f"{live_server.url}/n/anno-nu/")
    expect(page.get_by_role("heading", name="Netwerk anno nu", level=1)).to_be_visible()
    expect(page.get_by_text("Wat we leerden over de eerste klant")).to_be_visible()
    expect(page.get_by_text("Intern verslag")).to_have_count(0)
    expect(page.get_by_text("Verborgen Persoon")).to_have_count(0)
    expect(page.get_by_role("heading", name="Bram Jansen")).to_be_visible()
    # nothing overflows sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    violations = page.evaluate("window.__csp || []")
    assert violations == [], violations
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # The JSON-LD block ran through CSP (it carries the nonce) and parses.
    ld = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert ld["@graph"][0]["@type"] == "Organization"

    serious = axe_serious(page)
    assert serious == [], serious

    # From the public page to a public post and its share links.
    page.get_by_role("link", name="Wat we leerden over de eerste klant").click()
    expect(page.get_by_role("heading", name="Wat we leerden over de eerste klant")).to_be_visible()
    assert "linkedin.com/sharing" in page.get_by_role("link", name="LinkedIn").get_attribute("href")
    assert page.evaluate("window.__csp || []") == []
    context.close()
