"""Rate limits in the shared cache (the database cache by default, Redis with REDIS_URL).

For other apps: decorate a view that takes anonymous input with ``@limit_posts("apply")``
(or give your own ``rate=``); a client over the limit gets a 429 page. The JSON API and every
anonymous POST are already limited site-wide by :class:`kring.privacy.middleware.TrustMiddleware`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django_ratelimit.core import is_ratelimited


def client_ip(request: HttpRequest) -> str:
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if count:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest, *, group: str, key: str, rate: str) -> bool:
    """Count this request against ``group``/``key``; True when it is over ``rate``."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    return is_ratelimited(
        request,
        group=f"kring.{group}",
        key=lambda _group, _request: key,
        rate=rate,
        increment=True,
    )


def too_many_requests(request: HttpRequest, *, api: bool = False) -> HttpResponse:
    if api:
        response: HttpResponse = JsonResponse(
            {
                "detail": "Too many requests; try again in a minute.",
                "code": "throttled",
                "errors": [],
            },
            status=429,
        )
    else:
        response = HttpResponse(
            render_to_string("privacy/too_many_requests.html", request=request), status=429
        )
    response["Retry-After"] = "60"
    return response


def limit_posts(group: str, *, rate: str | None = None) -> Callable[[Any], Any]:
    """Limit POSTs to a view per client address (``rate`` defaults to KRING_FORM_RATE)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and over_limit(
                request, group=group, key=client_ip(request), rate=rate or settings.KRING_FORM_RATE
            ):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
