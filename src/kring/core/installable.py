"""The installable app: the web app manifest, the service worker and the offline page.

- ``/manifest.webmanifest`` — name, icons (192, 512, maskable), the design tokens' colours,
  ``start_url`` ``/start/`` (a member's network home, a chooser for several, the log-in page
  otherwise), served as ``application/manifest+json`` in the visitor's language.
- ``/sw.js`` — the service worker, at the root so its scope is the whole site
  (``Service-Worker-Allowed: /`` as well). It is a template: the list of files to keep, the
  offline pages and a version built from the static files' names (hashed in production) and
  contents, so a new deployment installs a new worker with a new cache.
- ``/offline/<lang>/`` — the page a navigation without a connection gets, in both languages,
  the same for everyone (no personal data; the worker keeps it).

What the worker does (``core/templates/core/sw.js``): static files cache-first (versioned
cache; in development, where names are not hashed, network first); member pages are not
cached, except a page whose response says ``X-Kring-Offline: keep`` (the door list), kept for
that device until the person logs out. See ``docs/design.md`` ("The installable app").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .http import storable
from .registry import offline_assets, worker_scripts

#: The response header a page sets to be kept on the device for offline use.
KEEP_OFFLINE_HEADER = "X-Kring-Offline"

#: Colours from the design tokens (``kring.css``, light theme): ``--primary`` and ``--bg``.
THEME_COLOR = "#0b6e4f"
BACKGROUND_COLOR = "#f6f6f2"

#: Static files every page needs, kept when the worker installs.
PRECACHE = (
    "kring/kring.css",
    "kring/kring.js",
    "kring/pwa.js",
    "kring/vendor/htmx-2.0.11.min.js",
    "kring/fonts/inter-latin-wght-normal-5.3.0.woff2",
    "kring/icons.svg",
    "kring/favicon.svg",
    "kring/app/icon-192.png",
)

BADGE = "kring/app/badge-96.png"  # the small monochrome mark in a notification
ICONS = (
    ("kring/app/icon-192.png", "192x192", "any"),
    ("kring/app/icon-512.png", "512x512", "any"),
    ("kring/app/maskable-512.png", "512x512", "maskable"),
)


def keep_offline(response: HttpResponse) -> HttpResponse:
    """Mark a page to be kept on the device by the service worker (the door list)."""
    response[KEEP_OFFLINE_HEADER] = "keep"
    return response


def hashed_names() -> bool:
    """Production's storage puts a content hash in every static file name."""
    return hasattr(staticfiles_storage, "manifest_hash")


def _static_version() -> str:
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        return str(manifest_hash)
    # Development: names carry no hash, so the files' sizes and times stand in for it.
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            full = Path(storage.path(path))
            stat = full.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def offline_page_html(language: str) -> str:
    with translation.override(language):
        return render_to_string("core/offline.html", {"language": language})


def worker_config() -> dict[str, Any]:
    """What the worker template needs; ``version`` changes with any static file or the
    offline pages (a translation), so every change installs a new worker and cache."""
    offline = {
        code: reverse("core:offline", kwargs={"language": code}) for code, _n in settings.LANGUAGES
    }
    assets = [static(name) for name in (*PRECACHE, *offline_assets(), *worker_scripts())]
    digest = hashlib.sha256(_static_version().encode())
    for code in offline:
        digest.update(offline_page_html(code).encode())
    digest.update("\n".join(assets).encode())
    return {
        "version": digest.hexdigest()[:16],
        "precache": [*assets, *offline.values()],
        "offline": offline,
        "default_language": settings.LANGUAGE_CODE,
        "static_url": settings.STATIC_URL,
        "hashed": hashed_names(),
        "logout": reverse("account_logout"),
        "keep_header": KEEP_OFFLINE_HEADER.lower(),
        "imports": [static(name) for name in worker_scripts()],
        "icons": {"icon": static(ICONS[0][0]), "badge": static(BADGE)},
    }


@require_GET
@storable
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the visitor's language (Accept-Language or the cookie)."""
    start = reverse("networks:start")
    data = {
        "id": start,
        "name": "Kring",
        "short_name": "Kring",
        "description": _(
            "Your network on your phone: gatherings, people, costs and the door list, "
            "also without a connection."
        ),
        "lang": translation.get_language(),
        "dir": "ltr",
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "categories": ["social", "productivity"],
        "icons": [
            {"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for src, sizes, purpose in ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
@storable
def service_worker(request: HttpRequest) -> HttpResponse:
    config = worker_config()
    body = render_to_string("core/sw.js", {"config": json.dumps(config, indent=1)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@storable
def offline(request: HttpRequest, language: str) -> HttpResponse:
    """The same page for everyone (the worker keeps it): rendered without the request, so
    no session, CSRF token or name ends up in it."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    response = HttpResponse(offline_page_html(language))
    response["Content-Language"] = language
    response["Cache-Control"] = "public, max-age=300"
    return response
