"""Lighthouse 12 (mobile preset) on the demo's main pages; prints the table of scores.

    KRING_DATA_DIR=var uv run kring demo --no-serve                 # seed once
    KRING_DATA_DIR=var uv run kring serve --port 8000 &              # production-like server
    KRING_DATA_DIR=var uv run python benchmarks/lighthouse.py --base-url http://127.0.0.1:8000

Needs Node 20 and npm (it runs ``npx lighthouse@12.2.3``) and chromium (``CHROME_PATH``,
default ``which chromium``). Member pages are scored signed in as the demo member (the
session cookie is passed with ``--extra-headers``). Targets (issue 14): accessibility 100,
best practices 100, performance >= 95, SEO >= 95 on public pages. Exit status 1 when a
target is missed; ``--json`` keeps every report in a folder.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from demo_pages import Page, demo_pages

LIGHTHOUSE = "lighthouse@12.2.3"
PASSWORD = "kring-demo"  # noqa: S105 - the public demo password
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}


def session_cookie(base: str, email: str) -> str:
    """Log in through the real form; return the Cookie header of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/") as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, f"could not log in as {email}"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_lighthouse(url: str, cookie: str, out: Path) -> dict[str, int]:
    """One Lighthouse run. Signed-in pages: chromium is started here with the session cookie
    in its profile and Lighthouse attaches to it (``--port``, storage kept), so that every
    request of the page (its images too) carries the session, as in a real browser. Passing
    the cookie as an extra header reached the page itself but not its images: a member's
    photos and covers answered 302/404 and cost best-practices points that no one sees."""
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    cmd = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    if not cookie:
        cmd.append("--chrome-flags=--headless --no-sandbox --disable-gpu")
        subprocess.run(cmd, check=True, env=env)
    else:
        from playwright.sync_api import sync_playwright

        port = _free_port()
        origin = urllib.parse.urlsplit(url)
        base = f"{origin.scheme}://{origin.netloc}"
        pairs = [part.split("=", 1) for part in cookie.split("; ")]
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            browser = p.chromium.launch_persistent_context(
                profile,
                executable_path=chrome,
                headless=True,
                args=[f"--remote-debugging-port={port}", "--no-sandbox", "--disable-gpu"],
            )
            try:
                browser.add_cookies([{"name": k, "value": v, "url": base} for k, v in pairs])
                cmd += [f"--port={port}", "--disable-storage-reset"]
                subprocess.run(cmd, check=True, env=env)
            finally:
                browser.close()
    report = json.loads(out.read_text())
    return {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def failing_audits(out: Path) -> list[str]:
    report = json.loads(out.read_text())
    bad = []
    for category in ("accessibility", "best-practices", "seo"):
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                bad.append(f"{category}: {ref['id']}")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--json", default="", help="keep the reports in this folder")
    parser.add_argument("--explain", action="store_true", help="list failing audits")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    pages: list[Page] = [p for p in demo_pages() if not only or p.name in only]
    cookies = {who: session_cookie(base, who) for who in {p.who for p in pages} if who}
    folder = Path(args.json) if args.json else Path(tempfile.mkdtemp(prefix="kring-lh-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    missed = False
    for page in pages:
        out = folder / f"{page.name.replace(' ', '-')}.json"
        scores = run_lighthouse(base + page.path, cookies.get(page.who, ""), out)
        misses = [
            c for c, target in TARGETS.items() if scores[c] < target and (c != "seo" or page.public)
        ]
        missed |= bool(misses)
        rows.append((page, scores, misses))
        if args.explain and misses:
            for line in failing_audits(out):
                print(f"  {page.name}: {line}", file=sys.stderr)
    print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile preset, {base}")
    print(f"{'page':<16} {'who':<7} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  target")
    for page, s, misses in rows:
        who = page.who.split("@")[0] if page.who else "public"
        seo = f"{s['seo']:>5}" if page.public else f"({s['seo']:>3})"
        status = "ok" if not misses else "MISSED " + ",".join(misses)
        print(
            f"{page.name:<16} {who:<7} {s['performance']:>5} {s['accessibility']:>5} "
            f"{s['best-practices']:>5} {seo}  {status}"
        )
    print("SEO in brackets: signed-in pages (noindex-worthy; the target applies to public pages)")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
