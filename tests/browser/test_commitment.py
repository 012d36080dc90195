"""An application from the public form, through the host's acceptance, to the new member's
first log-in (password chosen through the link in the welcome e-mail)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect


@pytest.fixture
def apply_net(transactional_db: Any, settings: Any) -> dict[str, Any]:
    from kring.networks.models import JoinPolicy, Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    settings.KRING_ANTISPAM_MAX_NUMBER = 2000  # keep the browser's proof of work short
    network = NetworkFactory(
        slug="anno-nu",
        name="Netwerk anno nu",
        language="en",
        join_policy=JoinPolicy.APPLY,
        charter="Come to most gatherings.",
    )
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Host")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    return {"network": network, "host": host}


def _path(body: str, fragment: str) -> str:
    """The path of the link in an e-mail (the e-mail carries the configured SITE_URL)."""
    link = next(w for w in re.findall(r"\S+", body) if fragment in w)
    return "/" + link.split("/", 3)[3] if link.startswith("http") else link


def _login(page: Any, base: str, email: str, password: str = "kring-test-pw") -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").first.fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state()


def test_application_to_first_login(
    page: Any, live_server: Any, apply_net: dict[str, Any], logout: Any
) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/n/anno-nu/commitment/apply/")
    expect(page.get_by_role("heading", name="Apply to join Netwerk anno nu")).to_be_visible()
    page.get_by_label("Your name").fill("Nina Nieuw")
    page.get_by_label("Your e-mail address").fill("nina@example.org")
    page.get_by_label("What are you passionate about?").fill("Starters op weg helpen")
    page.get_by_label("Your talents").fill("Fotografie")
    page.get_by_label("The public page").check()
    page.get_by_label("I have read the charter and accept it").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible(timeout=20000)

    page.goto(live_server.url + _path(mail.outbox[-1].body, "/apply/verify/"))
    expect(page.get_by_role("heading", name="Your e-mail address is confirmed")).to_be_visible()

    _login(page, live_server.url, "host@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/commitment/applications/")
    page.get_by_role("link", name="Nina Nieuw").click()
    page.get_by_label("Accept").check()
    page.get_by_label("A personal message (optional)").fill("Welkom, Nina!")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Saved; the applicant gets an e-mail.")).to_be_visible()
    logout(page)

    welcome = mail.outbox[-1]
    assert welcome.to == ["nina@example.org"]
    page.goto(live_server.url + _path(welcome.body, "/accounts/password/reset/key/"))
    page.locator("#id_password1").fill("een-lang-nieuw-wachtwoord-42")
    page.locator("#id_password2").fill("een-lang-nieuw-wachtwoord-42")
    page.get_by_role("button", name="Change Password").click()
    page.wait_for_load_state()

    _login(page, live_server.url, "nina@example.org", "een-lang-nieuw-wachtwoord-42")
    page.goto(f"{live_server.url}/n/anno-nu/home/")
    expect(page.get_by_role("heading", name="Netwerk anno nu", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/n/anno-nu/people/")
    expect(page.locator("#results").get_by_role("link", name="Nina Nieuw")).to_be_visible()
    page.locator("details.account > summary").click()
    account = page.locator("details.account")
    expect(account.get_by_text("Nina Nieuw")).to_be_visible()  # logged in
