"""The phone-first shell (issue 14): landing after log-in, the tab bar with content in the
top fifth of the screen, the gathering answer card when full, axe and 320 px on member pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import axe_serious

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def net(transactional_db: Any) -> dict[str, Any]:
    from kring.gatherings import services
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu", charter="Wees er.")
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Vermeulen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    bram = UserFactory(email="bram@example.org", profile__display_name="Bram Bakker")
    MembershipFactory(network=network, user=bram)
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    gathering = services.create_gathering(
        actor=host,
        network=network,
        title="Maandbijeenkomst",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=1,
        venue_name="De Werkplaats",
    )
    services.answer_rsvp(actor=bram, gathering=gathering, answer="going")  # now it is full
    return {"network": network, "gathering": gathering, "member": member}


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("kring-test-pw")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_phone_login_lands_home_with_tab_bar_and_content_up_top(
    page: Any, live_server: Any, net: dict[str, Any]
) -> None:
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    _login(page, live_server.url, "member@example.org")
    # Signing in lands on the network's home, not on the marketing page.
    assert page.url == f"{live_server.url}/n/anno-nu/home/"
    expect(page.get_by_role("heading", name="Getting started")).to_be_visible()

    tabs = page.get_by_role("navigation", name="Main")
    expect(tabs).to_be_visible()
    links = tabs.get_by_role("link")
    assert 2 <= links.count() <= 5
    expect(links.last).to_have_text("More")
    paths = ["home/", "gatherings/", "people/", "ledger/", "more/", "knowledge/"]
    paths.append(f"gatherings/{net['gathering'].pk}/")
    for path in paths:
        page.goto(f"{live_server.url}/n/anno-nu/{path}")
        box = page.locator("main h1").first.bounding_box()
        assert box is not None and box["y"] < 0.2 * PHONE["height"], (path, box)
        assert tabs.is_visible(), path
        assert axe_serious(page) == [], path
    # The tab bar leads somewhere: People, then More -> Knowledge.
    tabs.get_by_role("link", name="People").click()
    expect(tabs.get_by_role("link", name="People")).to_have_attribute("aria-current", "page")
    tabs.get_by_role("link", name="More").click()
    page.get_by_role("link", name="Knowledge").click()
    expect(page).to_have_url(f"{live_server.url}/n/anno-nu/knowledge/")


def test_member_pages_fit_320_pixels(page: Any, live_server: Any, net: dict[str, Any]) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    _login(page, live_server.url, "host@example.org")
    for path in ["home/", "gatherings/", "people/", "ledger/?tab=ledger", "more/", "manage/"]:
        page.goto(f"{live_server.url}/n/anno-nu/{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, (path, width)


def test_answer_card_full_then_waitlist(page: Any, live_server: Any, net: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    _login(page, live_server.url, "member@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/gatherings/{net['gathering'].pk}/")
    card = page.locator("#rsvp")
    expect(card.get_by_role("heading")).to_have_text("Full — join the waitlist")
    # The answer card comes before the agenda.
    assert card.bounding_box()["y"] < page.locator("#agenda").bounding_box()["y"]
    card.get_by_role("button", name="Join the waitlist").click()
    card = page.locator("#rsvp")
    expect(card.get_by_role("heading")).to_have_text("You're on the waitlist — number 1")
    expect(card.get_by_role("button", name="Leave the waitlist")).to_be_visible()
    # Sticky on a phone: after scrolling down, the card is still at the top of the screen.
    page.evaluate("window.scrollTo(0, 1200)")
    page.wait_for_function("window.scrollY > 600")
    top = card.bounding_box()["y"]
    assert 0 <= top < 0.2 * PHONE["height"], top
    assert axe_serious(page) == []


def test_month_view_fits_320_pixels_and_leads_to_the_gathering(
    page: Any, live_server: Any, net: dict[str, Any]
) -> None:
    from kring.gatherings.month import month_bounds

    g = net["gathering"]
    local = g.local_start
    page.set_viewport_size({"width": 320, "height": 640})
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    _login(page, live_server.url, "member@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/gatherings/")
    switch = page.get_by_role("group", name="Bijeenkomsten tonen als")
    switch.get_by_role("link", name="Maand").click()
    expect(switch.get_by_role("link", name="Maand")).to_have_attribute("aria-current", "page")
    today = timezone.localdate(timezone=g.network.tzinfo)
    expect(page.locator("td[aria-current=date] time")).to_have_text(str(today.day))
    heading = page.locator("#month-h")
    assert heading.inner_text() == heading.inner_text().lower()  # "december 2026"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert axe_serious(page) == []
    # Next month, then the gathering's own month: its day links to it.
    page.get_by_role("link", name="Volgende maand").click()
    _first, nxt = month_bounds(today.replace(day=1))
    expect(page).to_have_url(
        f"{live_server.url}/n/anno-nu/gatherings/?view=month&month={nxt:%Y-%m}"
    )
    page.goto(f"{live_server.url}/n/anno-nu/gatherings/?view=month&month={local:%Y-%m}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.locator("table.month-grid").get_by_role("link", name="Maandbijeenkomst").click()
    expect(page).to_have_url(f"{live_server.url}/n/anno-nu/gatherings/{g.pk}/")


def test_a_gathering_cover_loads_lazily_in_the_list_and_passes_axe(
    page: Any, live_server: Any, net: dict[str, Any]
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from kring.gatherings.services import set_gathering_cover
    from kring.people.models import User

    out = io.BytesIO()
    Image.new("RGB", (1600, 800), (11, 110, 79)).save(out, format="JPEG")
    host = User.objects.get(email="host@example.org")
    set_gathering_cover(
        actor=host,
        gathering=net["gathering"],
        upload=SimpleUploadedFile("c.jpg", out.getvalue(), "image/jpeg"),
    )
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    _login(page, live_server.url, "member@example.org")
    page.goto(f"{live_server.url}/n/anno-nu/gatherings/{net['gathering'].pk}/")
    cover = page.locator("img.cover").first
    expect(cover).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.cover').naturalWidth > 0")
    # a 390 px screen at DPR 1 picks the 480 px rendition
    assert "cover/" in cover.evaluate("img => img.currentSrc")
    box = cover.bounding_box()
    assert box is not None and abs(box["width"] / box["height"] - 2) < 0.05
    assert axe_serious(page) == []
    page.goto(f"{live_server.url}/n/anno-nu/gatherings/")
    expect(page.locator(".card-media img.cover")).to_have_attribute("loading", "lazy")
    assert axe_serious(page) == []
