"""A third party asks the network for help in a real browser (solving the proof-of-work
challenge with results/altcha.js); a host accepts; a member volunteers."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def setting(transactional_db: Any, settings: Any) -> dict[str, Any]:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    settings.KRING_ANTISPAM_MAX_NUMBER = 5000
    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu", public_page_enabled=True)
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Vermeulen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    return {"network": network, "host": host, "member": member}


def test_third_party_asks_and_member_volunteers(
    page: Any, live_server: Any, setting: dict[str, Any]
) -> None:
    from django.core import mail

    from kring.results.models import HelpRequest, RequestStatus
    from kring.results.requests.services import accept_request

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/n/anno-nu/results/ask/")
    expect(page.get_by_role("heading", name="Ask Netwerk anno nu for help")).to_be_visible()
    page.get_by_label("Your name").fill("Sanne Starter")
    page.get_by_label("Your e-mail address").fill("sanne@example.net")
    page.get_by_label("What do you need help with?").fill("Help with my first invoice.")
    page.get_by_label("Topics (optional)").fill("boekhouding")
    expect(page.get_by_text("Anti-spam check done. You can send.")).to_be_visible(timeout=20000)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="Thank you, your request is sent")).to_be_visible()

    request = HelpRequest.objects.get()
    assert request.status == RequestStatus.NEW and request.tags == ["boekhouding"]
    assert any(m.to == ["sanne@example.net"] for m in mail.outbox)
    accept_request(actor=setting["host"], request=request, note="Mila can help.")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").first.fill("member@example.org")
    page.get_by_label("Password").fill("kring-test-pw")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/n/anno-nu/results/requests/")
    page.get_by_role("link", name="Sanne Starter").click()
    page.get_by_role("button", name="I'll help").click()
    expect(page.get_by_text("Thank you for helping!")).to_be_visible()
    expect(page.get_by_role("heading", name="Request from Sanne Starter")).to_contain_text(
        "matched"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED


def test_anti_spam_work_waits_for_the_visitor_and_runs_in_a_worker(
    page: Any, live_server: Any, setting: dict[str, Any]
) -> None:
    """A visitor who only reads pays no hashing; one who starts typing gets the check done in a
    Web Worker, off the page's main thread (a phone stays responsive while it runs)."""
    workers: list[Any] = []
    page.on("worker", lambda worker: workers.append(worker))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/n/anno-nu/results/ask/")
    expect(page.get_by_role("heading", name="Ask Netwerk anno nu for help")).to_be_visible()
    page.wait_for_timeout(500)
    box = page.locator("[data-altcha]")
    assert box.get_attribute("data-state") is None
    assert workers == []
    page.get_by_label("Your name").fill("Sanne Starter")
    expect(page.get_by_text("Anti-spam check done. You can send.")).to_be_visible(timeout=20000)
    assert box.get_attribute("data-state") == "verified"
    assert [w.url for w in workers] and all("altcha" in w.url for w in workers)
