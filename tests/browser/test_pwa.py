"""The installable app in a real browser: the manifest, the service worker, the offline page."""

from __future__ import annotations

import json
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
