"""Browser tests: Playwright driving Debian's chromium against the live test server.

They run in CI (``.ci/run`` installs chromium with apt). Locally they skip, with that reason,
only when ``/usr/bin/chromium`` is absent.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from tests.browser.axe import axe_serious

CHROMIUM = os.environ.get("KRING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
                item.add_marker(pytest.mark.skip(reason=f"chromium not installed at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def login(live_server: Any) -> Any:
    """``login(page, email, password)`` through the real log-in form."""

    def do(page: Any, email: str, password: str = "kring-test-pw") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").first.fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In", exact=True).click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def logout() -> Any:
    """``logout(page)`` through the account menu; returns once the logged-out page is there.
    The click does not navigate at once: the page first forgets the door lists kept on the
    device (kring/pwa.js), so a ``goto`` right after it would be cut off by the log-out."""

    def do(page: Any) -> None:
        page.locator("details.account > summary").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Log out").click()
        page.wait_for_load_state()

    return do


@pytest.fixture(autouse=True)
def _no_serious_accessibility_issues_where_a_test_ends(request: Any) -> Any:
    """Issue 14: axe finds nothing serious or critical on any page of the browser suite. Every
    browser test's last page is checked too (tests check the pages in between themselves)."""
    yield
    page = request.node.funcargs.get("page")
    if page is None or page.is_closed() or not page.url.startswith("http"):
        return
    serious = axe_serious(page)
    assert serious == [], (page.url, serious)
