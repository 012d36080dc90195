"""A member reads the agenda and RSVPs; the host checks them in at the door (htmx)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect


@pytest.fixture
def meeting_setup(transactional_db: Any) -> dict[str, Any]:
    from kring.gatherings import services
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    host = UserFactory(email="host@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    start = timezone.now() + timedelta(days=5)
    gathering = services.create_gathering(
        actor=host,
        network=network,
        title="Maandbijeenkomst",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=20,
        venue_name="De Werkplaats",
    )
    services.add_agenda_item(
        actor=host, gathering=gathering, title="Je eerste klant", duration_minutes=30
    )
    services.publish_agenda(actor=host, gathering=gathering)
    return {"gathering": gathering, "member": member}


def test_member_reads_agenda_and_rsvps_host_checks_in(
    page: Any, live_server: Any, login: Any, meeting_setup: dict[str, Any]
) -> None:
    from kring.gatherings.models import Rsvp

    gathering = meeting_setup["gathering"]
    detail = f"{live_server.url}/n/anno-nu/gatherings/{gathering.pk}/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, "member@example.org")
    page.goto(detail)
    expect(page.get_by_role("heading", name="Maandbijeenkomst")).to_be_visible()
    expect(page.get_by_text("Je eerste klant")).to_be_visible()
    page.get_by_role("button", name="I have read the agenda").click()
    expect(page.get_by_text("You have read the agenda")).to_be_visible()
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible()
    expect(page.get_by_text("1 of 20 places taken")).to_be_visible()

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, "host@example.org")
    page.goto(detail)
    expect(page.get_by_text("1 of 1 going have read it.")).to_be_visible()
    page.get_by_role("link", name="Door list (check-in)").click()
    row = page.locator("li.door-row", has_text="Mila de Jong")
    expect(row).to_have_attribute("class", "door-row")
    page.evaluate("window.stillSamePage = true")
    row.get_by_role("button").click()  # htmx swaps just this row
    expect(page.locator("li.door-row.is-in", has_text="Mila de Jong")).to_be_visible()
    expect(page.locator("#checked-count")).to_have_text("1 of 1 checked in")
    assert page.evaluate("window.stillSamePage === true")  # no full page load
    assert Rsvp.objects.get(user=meeting_setup["member"]).checked_in_at is not None

    # Undo, then the member withdraws while the door list is open: the refusal shows in the row.
    row.get_by_role("button").click()
    expect(page.locator("#checked-count")).to_have_text("0 of 1 checked in")
    from kring.gatherings import services

    services.answer_rsvp(actor=meeting_setup["member"], gathering=gathering, answer="not_going")
    page.locator("li.door-row", has_text="Mila de Jong").get_by_role("button").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Mila de Jong is not on the list of people going."
    )
    assert page.evaluate("window.stillSamePage === true")
