"""The installable app in a real browser: the manifest, the service worker, the offline page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def en_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def _worker_ready(page: Any) -> dict[str, str]:
    return page.evaluate(
        """async () => {
            const reg = await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
              await new Promise((done) =>
                navigator.serviceWorker.addEventListener("controllerchange", done, { once: true }));
            }
            return { scope: reg.scope, script: reg.active.scriptURL };
        }"""
    )


def test_manifest_is_linked_and_valid(
    transactional_db: Any, en_page: Any, live_server: Any
) -> None:
    page = en_page
    page.goto(f"{live_server.url}/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["start_url"] == "/start/" and manifest["display"] == "standalone"
    purposes = set()
    for icon in manifest["icons"]:
        image = page.request.get(live_server.url + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png", icon["src"]
        purposes.add(icon["purpose"])
    assert purposes == {"any", "maskable"}
    assert page.errors == []


def test_worker_registers_and_serves_the_offline_page(
    transactional_db: Any, en_page: Any, live_server: Any
) -> None:
    page = en_page
    page.goto(f"{live_server.url}/about/")
    worker = _worker_ready(page)
    assert worker["scope"] == f"{live_server.url}/"
    assert worker["script"] == f"{live_server.url}/sw.js"
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/privacy/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", name="You are offline")).to_have_count(0)
    assert page.url == f"{live_server.url}/privacy/"


@pytest.fixture
def door_tonight(transactional_db: Any) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from kring.gatherings import services
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    host = UserFactory(email="host@example.org", profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    start = timezone.now() + timedelta(minutes=20)
    gathering = services.create_gathering(
        actor=host,
        network=network,
        title="Door night",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=20,
    )
    people = {}
    for name in ("Anna Aarts", "Bert Bos", "Cora Claes"):
        user = UserFactory(profile__display_name=name)
        MembershipFactory(network=network, user=user)
        people[name] = services.answer_rsvp(actor=user, gathering=gathering, answer="going").rsvp
    return {"gathering": gathering, "people": people}


def test_door_list_works_offline_and_saves_when_back_online(
    en_page: Any, live_server: Any, login: Any, door_tonight: dict[str, Any]
) -> None:
    from kring.gatherings.models import Rsvp

    page = en_page
    g, people = door_tonight["gathering"], door_tonight["people"]
    login(page, "host@example.org")
    _worker_ready(page)  # the host has used Kring on this phone before
    door = f"{live_server.url}/n/anno-nu/gatherings/{g.pk}/checkin/"
    page.goto(door)
    expect(page.locator(".door-row")).to_have_count(3)

    page.context.set_offline(True)
    page.get_by_role("button", name=re.compile("Anna Aarts")).click()
    page.get_by_role("button", name=re.compile("Bert Bos")).click()
    expect(page.locator(".door-row.is-pending")).to_have_count(2)
    expect(page.locator("#door-sync")).to_contain_text("2 check-ins are waiting to be saved")
    expect(page.locator("#checked-count")).to_have_text("2 of 3 checked in")
    assert not Rsvp.objects.filter(gathering=g, checked_in_at__isnull=False).exists()

    # Still offline, the door list opens again from the phone, with the ticks waiting.
    page.reload()
    expect(page.get_by_role("heading", name="Door list")).to_be_visible()
    expect(page.locator(".door-row.is-pending")).to_have_count(2)

    page.context.set_offline(False)
    expect(page.locator("#door-sync")).to_have_text("All check-ins are saved.")
    expect(page.locator(".door-row.is-in")).to_have_count(2)
    expect(page.locator(".door-row.is-pending")).to_have_count(0)
    saved = set(
        Rsvp.objects.filter(gathering=g, checked_in_at__isnull=False).values_list("pk", flat=True)
    )
    assert saved == {people["Anna Aarts"].pk, people["Bert Bos"].pk}
    assert page.errors == []
