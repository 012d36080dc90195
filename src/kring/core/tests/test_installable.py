"""The installable app: manifest, service worker and offline page (kring.core.installable)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from kring.core import installable

pytestmark = pytest.mark.django_db


def test_manifest_is_served_as_a_manifest_with_icons_that_exist(client: Any) -> None:
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content)
    assert data["name"] == data["short_name"] == "Kring"
    assert data["start_url"] == "/start/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0b6e4f"  # --primary
    assert data["background_color"] == "#f6f6f2"  # --bg
    sizes = {}
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            assert image.format == "PNG"
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert sizes == {"any": {"192x192", "512x512"}, "maskable": {"512x512"}}


def test_manifest_speaks_the_visitors_language(client: Any) -> None:
    nl = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="nl").content)
    en = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").content)
    assert (nl["lang"], en["lang"]) == ("nl", "en")
    assert nl["description"] != en["description"]
    assert "verbinding" in nl["description"]


def test_the_start_url_sends_a_member_home_and_a_visitor_to_log_in(
    client: Any, member: Any
) -> None:
    anonymous = client.get("/start/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(member)
    assert client.get("/start/")["Location"] == "/n/testnet/home/"


def test_every_page_links_the_manifest_and_registers_the_worker(client: Any, member: Any) -> None:
    for page in ("/", "/about/"):
        html = client.get(page).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert 'src="/static/kring/pwa.js"' in html and 'data-worker="/sw.js"' in html
    client.force_login(member)
    assert 'rel="manifest"' in client.get("/n/testnet/home/").content.decode()


def test_worker_is_served_from_the_root_with_its_scope_and_without_caching(client: Any) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\n\});", body, re.S).group(1))
    assert "/offline/nl/" in config["precache"] and "/offline/en/" in config["precache"]
    assert "/static/kring/kring.css" in config["precache"]
    assert config["logout"] == "/accounts/logout/"
    assert config["hashed"] is False  # development storage: no hashed names here
    # No inline code for pages: the worker is this one file.
    assert "<script" not in body


def test_worker_version_changes_when_the_offline_page_changes(monkeypatch: Any) -> None:
    before = installable.worker_config()["version"]
    real = installable.offline_page_html
    monkeypatch.setattr(installable, "offline_page_html", lambda lang: real(lang) + "changed")
    assert installable.worker_config()["version"] != before


def test_worker_precaches_what_apps_register(monkeypatch: Any) -> None:
    monkeypatch.setattr(installable, "offline_assets", lambda: ["gatherings/door.js"])
    assert "/static/gatherings/door.js" in installable.worker_config()["precache"]


@pytest.mark.parametrize(
    ("language", "title"), [("nl", "Je bent offline"), ("en", "You are offline")]
)
def test_offline_page_in_both_languages_without_personal_data(
    client: Any, member: Any, language: str, title: str
) -> None:
    client.force_login(member)  # the worker fetches it with the session's cookies
    response = client.get(f"/offline/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert member.display_name not in html
    assert "csrfmiddlewaretoken" not in html and "<script" not in html
    assert response["Cache-Control"] == "public, max-age=300"  # not the members' no-store


def test_offline_page_for_an_unknown_language_is_404(client: Any) -> None:
    assert client.get("/offline/de/").status_code == 404


def test_keep_offline_marks_a_response() -> None:
    from django.http import HttpResponse

    assert installable.keep_offline(HttpResponse())["X-Kring-Offline"] == "keep"
