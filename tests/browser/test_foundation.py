"""A member logs in and finds a person in the directory by talent."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Any]:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.services import set_profile_tags
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    bram = UserFactory(email="bram@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=bram, role=Role.HOST)
    set_profile_tags(profile=bram.profile, tags={"talent": ["boekhouding"]})
    anna = UserFactory(email="anna@example.org", profile__display_name="Anna Bakker")
    MembershipFactory(network=network, user=anna)
    set_profile_tags(profile=anna.profile, tags={"talent": ["fotografie"]})
    return {"network": network, "member": member}


def test_member_finds_person_by_talent(
    page: Any, live_server: Any, login: Any, people: dict[str, Any]
) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, "member@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/people/")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    page.get_by_label("Passion, talent or offer").fill("boekhouding")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Bram Jansen")).to_be_visible()
    expect(results.get_by_role("link", name="Anna Bakker")).to_have_count(0)
    results.get_by_role("link", name="Bram Jansen").click()
    expect(page.get_by_role("heading", name="Bram Jansen")).to_be_visible()
