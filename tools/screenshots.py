"""Regenerate ``docs/screenshots/`` from the demo: phone and laptop, Dutch and English.

    KRING_DATA_DIR=var uv run kring demo --no-serve        # once: seed the demo
    KRING_DATA_DIR=var uv run kring serve --port 8000 &     # or `uv run kring demo`
    KRING_DATA_DIR=var uv run python tools/screenshots.py --base-url http://127.0.0.1:8000

Uses Playwright with Debian's chromium (``KRING_CHROMIUM``, default /usr/bin/chromium).
By default the main pages; ``--only home,gathering`` picks pages, ``--only all`` takes every
page in ``tools/demo_pages.py``; ``--out`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from demo_pages import Page, demo_pages

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kring-demo"  # noqa: S105 - the public demo password
SIZES = {"phone": (390, 844), "laptop": (1280, 800)}
# The main pages (``--only all`` takes every page of tools/demo_pages.py).
MAIN = {"public page", "home", "gathering", "people", "costs", "door list", "more"}
CHROMIUM = os.environ.get("KRING_CHROMIUM", "/usr/bin/chromium")


def log_in(context: object, base: str, email: str) -> None:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.close()


def shoot(browser: Browser, base: str, out: Path, pages: list[Page]) -> list[Path]:
    written = []
    for lang in ("nl", "en"):
        for size, (width, height) in SIZES.items():
            contexts: dict[str, object] = {}
            for page_spec in pages:
                context = contexts.get(page_spec.who)
                if context is None:
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        device_scale_factor=1,
                        locale=lang,
                    )
                    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
                    if page_spec.who:
                        log_in(context, base, page_spec.who)
                    contexts[page_spec.who] = context
                page = context.new_page()  # type: ignore[attr-defined]
                page.goto(base + page_spec.path)
                page.wait_for_load_state("networkidle")
                name = page_spec.name.replace(" ", "-")
                path = out / f"{name}-{size}-{lang}.png"
                page.screenshot(path=str(path))
                page.close()
                written.append(path)
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            for context in contexts.values():
                context.close()  # type: ignore[attr-defined]
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    wanted = MAIN if not only else None if only == {"all"} else only
    pages = [p for p in demo_pages() if wanted is None or p.name in wanted]  # before the loop
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        shoot(browser, args.base_url.rstrip("/"), out, pages)
        browser.close()


if __name__ == "__main__":
    main()
