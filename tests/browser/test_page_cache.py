"""The member page cache in a real browser: a page opened again comes from the cache, and what
anyone changes (the member on this page, a host in another browser) shows on the next visit."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.test_gatherings import meeting_setup  # noqa: F401  (the fixture)


def _open(page: Any, url: str) -> str:
    """Open ``url``; return whether the answer came from the page cache."""
    response = page.goto(url)
    assert response is not None and response.status == 200
    return str(response.headers.get("x-kring-cache", ""))


def test_a_cached_page_shows_every_change_on_the_next_visit(
    page: Any,
    browser: Any,
    live_server: Any,
    login: Any,
    meeting_setup: dict[str, Any],  # noqa: F811
) -> None:
    gathering = meeting_setup["gathering"]
    detail = f"{live_server.url}/n/anno-nu/gatherings/{gathering.pk}/"
    language = [{"name": "django_language", "value": "en", "url": live_server.url}]
    page.context.add_cookies(language)
    login(page, "member@example.org")
    served = [_open(page, detail) for _ in range(4)]
    # The same page again, nothing changed (a stored page also ends at a 30 s boundary).
    assert "hit" in served[1:], served
    expect(page.get_by_text("0 of 20 places taken")).to_be_visible()

    # The member answers on the page: the next visit is rendered afresh and shows it.
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible()
    assert _open(page, detail) == "miss"
    expect(page.get_by_text("1 of 20 places taken")).to_be_visible()
    assert "hit" in [_open(page, detail) for _ in range(3)]

    # A host, in a browser of their own, renames the gathering; the member's next visit shows it.
    host_context = browser.new_context()
    host_context.add_cookies(language)
    host = host_context.new_page()
    login(host, "host@example.org")
    host.goto(f"{detail}edit/")
    host.get_by_label("Title").fill("Maandbijeenkomst december")
    host.get_by_role("button", name="Save").click()
    expect(host.get_by_role("heading", name="Maandbijeenkomst december")).to_be_visible()
    host_context.close()

    assert _open(page, detail) == "miss"
    expect(page.get_by_role("heading", name="Maandbijeenkomst december")).to_be_visible()
    expect(page.get_by_text("1 of 20 places taken")).to_be_visible()
