"""The public network page, cached whole for anonymous visitors.

Every anonymous visitor sees the same page (per network, language, colour theme and host), so
it is rendered once and kept in the cache. Two things in it differ per request and are never
stored: the Content-Security-Policy nonce and the CSRF token. The page is rendered with fixed
placeholders for both, and each answer puts the request's own values in (a string replace).

A page is stored under the network's *version*, a random token that ``invalidate(network)``
replaces: the services that change what the page shows call it (the network's profile, public
posts and profiles, gatherings, public objectives and contributions, the health scorecard,
costs; covers too). ``CACHE_SECONDS`` bounds what no service announces (time passing: a
gathering that has started drops off the list). The ETag is a digest of the stored page, the
language and the visitor's CSRF cookie (the token in a page kept by the browser must still
match it), so an unchanged page answers ``304 Not Modified``.

Signed-in visitors (the members' button, their name in the menu) and requests with pending
messages or a query string are rendered as before, never stored here.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import get_language

from kring.core.theme import theme_for
from kring.networks.models import Network

CACHE_SECONDS = 120
#: Public pages rendered while ``kring serve`` warms up (the most recently changed networks).
WARM_PAGES = 10
NONCE = "kring-csp-nonce-placeholder-7f3a"
CSRF = "kring-csrf-token-placeholder-7f3a"


def _version_key(network_id: int) -> str:
    return f"public:version:{network_id}"


def invalidate(network: Network | int) -> None:
    """Forget the cached public page of this network (every language and theme): the next
    visitor gets a freshly rendered one. Call it from a use-case that changes what the public
    page shows. Cheap (a cache write now and one after the commit, so a page rendered from
    the old rows in between is not kept either)."""
    network_id = network if isinstance(network, int) else network.pk
    _bump(network_id)
    transaction.on_commit(partial(_bump, network_id))


def _bump(network_id: int) -> None:
    cache.set(_version_key(network_id), secrets.token_hex(8), None)


def warm_paths() -> list[str]:
    """The public pages ``kring serve`` renders once before it reports ready, so the first
    visitor after a start gets a cached page (``kring.core.warm``)."""
    slugs = (
        Network.objects.filter(public_page_enabled=True)
        .order_by("-updated_at")
        .values_list("slug", flat=True)[:WARM_PAGES]
    )
    return [reverse("public:network", kwargs={"slug": slug}) for slug in slugs]


def version(network_id: int) -> str:
    key = _version_key(network_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.token_hex(8), None)
        value = cache.get(key) or ""
    return str(value)


@dataclass(frozen=True)
class Stored:
    etag: str
    html: str
    content_type: str


def cacheable_request(request: HttpRequest) -> bool:
    """Anonymous, a plain GET/HEAD without a query string, no messages waiting to be shown."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    return len(get_messages(request)) == 0  # len() reads without marking them shown


def page_key(request: HttpRequest, network: Network) -> str:
    return ":".join(
        [
            "public:page:html",
            str(network.pk),
            version(network.pk),
            get_language() or settings.LANGUAGE_CODE,
            theme_for(request) or "-",
            hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:12],
        ]
    )


def etag_for(stored: Stored, request: HttpRequest) -> str:
    raw = f"{stored.etag}:{request.COOKIES.get(settings.CSRF_COOKIE_NAME, '')}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def placeholders() -> dict[str, str]:
    """The context that renders the per-request values as placeholders."""
    return {"csp_nonce": NONCE, "csrf_token": CSRF}


def serve(
    request: HttpRequest, network: Network, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page from the cache (or ``render()`` once and store it), with this request's nonce
    and CSRF token; ``304`` when the visitor's copy is current."""
    key = page_key(request, network)
    stored = cache.get(key)
    hit = isinstance(stored, Stored)
    if not isinstance(stored, Stored):
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        html = response.content.decode(response.charset)
        stored = Stored(
            etag=hashlib.sha256(html.encode()).hexdigest()[:32],
            html=html,
            content_type=response["Content-Type"],
        )
        cache.set(key, stored, CACHE_SECONDS)
    etag = etag_for(stored, request)
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        nonce = getattr(request, "_csp_nonce", None)
        html = stored.html.replace(NONCE, str(nonce) if nonce is not None else "")
        response = HttpResponse(
            html.replace(CSRF, get_token(request)), content_type=stored.content_type
        )
    response["ETag"] = etag
    response["X-Kring-Cache"] = "hit" if hit else "miss"
    return response
