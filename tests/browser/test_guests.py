"""A guest signs up for an open gathering, a walk-in is checked in at the door, the host
invites the guest in with one click, and the guest follows the mailed link, creates an
account and lands in the network as a member."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect


@pytest.fixture
def open_coffee(transactional_db: Any, settings: Any) -> Any:
    from kring.gatherings import services
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    settings.KRING_ANTISPAM_MAX_NUMBER = 50
    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu", public_page_enabled=True)
    host = UserFactory(email="host@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    start = timezone.now() + timedelta(minutes=30)
    return services.create_gathering(
        actor=host,
        network=network,
        title="Open Coffee",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
        open_to_guests=True,
        guest_contribution_cents=250,
    )


def _path(marker: str) -> str:
    """The path (and query) of the newest mailed link whose path contains ``marker``.

    Links are split with ``urlsplit``: a search for "/, anything, /invite/" matched from the
    scheme's slashes (``//127.0.0.1:8000/invite/...``) and sent the browser to a wrong address.
    """
    for message in reversed(mail.outbox):
        for url in re.findall(r"https?://\S+", message.body):
            parts = urlsplit(url)
            if marker in parts.path:
                return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no mail with a link to {marker}")


def test_guest_signs_up_walks_in_is_invited_and_joins(
    browser: Any, live_server: Any, login: Any, open_coffee: Any
) -> None:
    g = open_coffee
    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    guest = context.new_page()
    # 1. The guest signs up, with consent, on the public guest page.
    guest.goto(f"{live_server.url}/n/anno-nu/gatherings/{g.pk}/guest/")
    expect(guest.get_by_text("Guest contribution:")).to_be_visible()
    guest.get_by_label("Your name").fill("Gijs Gast")
    guest.get_by_label("Your e-mail address").fill("gijs@example.net")
    guest.get_by_label("The hosts may contact me about this network").check()
    expect(guest.get_by_text("Anti-spam check done")).to_be_visible(timeout=20000)
    guest.get_by_role("button", name="Sign up").click()
    expect(guest.get_by_text("Check your e-mail and confirm")).to_be_visible()
    confirm = _path("/confirm/")
    guest.goto(live_server.url + confirm)
    guest.get_by_role("button", name="Confirm my place").click()
    expect(guest.get_by_text("your place is confirmed")).to_be_visible()

    # 2. At the door the host checks the guest in and adds a walk-in.
    host_ctx = browser.new_context(locale="en-GB")
    host_ctx.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    host = host_ctx.new_page()
    login(host, "host@example.org")
    host.goto(f"{live_server.url}/n/anno-nu/gatherings/{g.pk}/checkin/")
    host.get_by_role("button", name=re.compile("Gijs Gast")).click()
    expect(host.locator(".door-row.is-in")).to_have_count(1)
    host.locator("form[action$='/walk-in/'] input[name=name]").fill("Wanda Walk-in")
    host.locator("form[action$='/walk-in/'] button[type=submit]").click()
    expect(host.get_by_text("Wanda Walk-in is checked in")).to_be_visible()
    expect(host.locator(".door-row.is-in")).to_have_count(2)

    # 3. The host sees who came (with consent, the address) and invites the guest in.
    host.goto(f"{live_server.url}/n/anno-nu/gatherings/guests/")
    row = host.get_by_role("row", name=re.compile("Gijs Gast"))
    expect(row.get_by_text("gijs@example.net")).to_be_visible()
    expect(host.get_by_role("row", name=re.compile("Wanda Walk-in"))).to_be_visible()
    row.get_by_role("button", name="Invite to join").click()
    expect(host.get_by_text("Invited: gijs@example.net")).to_be_visible()

    # 4. The guest follows the invitation, creates an account and joins.
    from kring.networks.models import Invitation, Membership

    assert Invitation.objects.filter(network=g.network, email="gijs@example.net").exists()
    guest.goto(live_server.url + _path("/invite/"))
    guest.get_by_role("link", name="Create my account").click()
    guest.get_by_label("Your name").fill("Gijs Gast")
    guest.get_by_label("Password", exact=True).fill("een-lang-wachtwoord-42")
    guest.get_by_label("Password (again)").fill("een-lang-wachtwoord-42")
    guest.get_by_role("button", name="Sign Up").click()
    expect(guest.get_by_role("heading", name="Our charter")).to_be_visible()
    guest.get_by_label("I have read the charter and accept it").check()
    guest.get_by_role("button", name="Join the network").click()
    expect(guest.get_by_text("Welcome to Netwerk anno nu!")).to_be_visible()
    expect(guest).to_have_url(re.compile(r"/n/anno-nu/home/$"))
    assert Membership.objects.filter(network=g.network, user__email="gijs@example.net").exists()


def test_host_seats_guests_and_a_late_walk_in_at_the_tables(
    browser: Any, live_server: Any, login: Any, open_coffee: Any
) -> None:
    """The table plan seats the gathering's guests by name, and a walk-in who came after the
    plan was made is added to a table from the plan page."""
    from kring.gatherings import services
    from kring.gatherings.models import Rsvp
    from kring.introductions.models import Participant
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    g = open_coffee
    for name in ("Mila de Jong", "Sara Smit", "Tom Vos", "Eva Kok"):
        user = UserFactory(email=f"{name.split()[0].lower()}@example.org")
        user.profile.display_name = name
        user.profile.save()
        MembershipFactory(network=g.network, user=user)
        Rsvp.objects.create(gathering=g, user=user, status="going")
    Rsvp.objects.create(
        gathering=g, guest_name="Gijs Gast", guest_email="g@example.net", status="going"
    )
    host_user = g.network.memberships.get(role="host").user
    services.add_walk_in(actor=host_user, gathering=g, name="Wanda Walk-in")

    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    host = context.new_page()
    login(host, "host@example.org")
    host.goto(f"{live_server.url}/n/anno-nu/introductions/rounds/")
    plan = host.get_by_role("region", name="A table plan for a gathering")
    plan.get_by_label("Gathering").select_option(value=str(g.pk))
    plan.get_by_label("People per table").fill("3")
    plan.get_by_label("Rotations").fill("2")
    plan.get_by_role("button", name="Make a table plan").click()
    expect(host.get_by_text("Here is the preview.")).to_be_visible()
    # 6 people at 2 tables of 3: the two guests never at the same table
    guests = host.locator("li", has=host.locator(".badge", has_text="guest"))
    expect(guests).to_have_count(4)
    expect(guests.filter(has_text="Gijs Gast")).to_have_count(2)
    expect(guests.filter(has_text="Wanda Walk-in")).to_have_count(2)
    for card in host.locator(
        "section.card", has=host.get_by_role("heading", name=re.compile("^Table"))
    ).all():
        expect(card.locator(".badge", has_text="guest")).to_have_count(1)

    # A walk-in arrives after the plan was made, and gets a seat.
    services.add_walk_in(actor=host_user, gathering=g, name="Lotte Laat")
    host.reload()
    late = host.get_by_role("region", name="Add to a table")
    late.get_by_label("Who").select_option(label="Lotte Laat (walk-in)")
    late.get_by_label("Table").select_option(label="Table 2")
    late.get_by_role("button", name="Add to the table").click()
    expect(host.get_by_text("Seated in every rotation.")).to_be_visible()
    expect(host.locator("li", has_text="Lotte Laat")).to_have_count(2)
    expect(host.get_by_role("region", name="Add to a table")).to_have_count(0)
    assert sorted(
        Participant.objects.filter(guest__guest_name="Lotte Laat").values_list(
            "rotation", "introduction__table"
        )
    ) == [(0, 1), (1, 1)]
    # The printable cards carry the names with the badge too.
    host.get_by_role("link", name="Table cards to print").click()
    expect(host.locator(".table-card li", has_text="Lotte Laat")).to_have_count(2)
    expect(host.locator(".table-card .badge", has_text="guest")).to_have_count(6)
