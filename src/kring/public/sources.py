"""Other apps' data for the public page and the digest, imported lazily and guarded.

Gatherings, results, ledger and commitment are optional: each function returns ``None`` or
``[]`` when the app (or the selector) is not there, so these pages work with whatever exists.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse

from kring.networks.models import Network

logger = logging.getLogger(__name__)


def selector(app: str, name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module(f"kring.{app}.selectors")
    except ImportError:
        return None
    fn = getattr(module, name, None)
    return fn if callable(fn) else None


def call(app: str, name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    fn = selector(app, name)
    if fn is None:
        return default
    try:
        return fn(*args, **kwargs)
    except Exception:  # another app's failure must not take the page down
        logger.exception("selector kring.%s.selectors.%s failed", app, name)
        return default


def url(name: str, *candidates: dict[str, Any]) -> str | None:
    for kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def upcoming_open_gatherings(network: Network) -> list[Any]:
    return list(call("gatherings", "upcoming_open_gatherings", network, default=[]) or [])


def public_objectives(network: Network) -> list[Any]:
    return list(call("results", "public_objectives", network, default=[]) or [])


def public_impact(network: Network) -> dict[str, Any] | None:
    return call("results", "public_impact", network, default=None)


def public_health(network: Network) -> dict[str, Any] | None:
    """The health scorecard when the hosts published it (else ``None``)."""
    return call("commitment", "public_health", network, default=None)


def cost_summary(network: Network) -> Any:
    return call("ledger", "cost_summary", network, default=None)


def guest_signup_url(network: Network, gathering: Any) -> str | None:
    return url(
        "gatherings:guest_signup",
        {"slug": network.slug, "pk": gathering.pk},
        {"slug": network.slug, "gathering_id": gathering.pk},
        {"slug": network.slug, "id": gathering.pk},
    )


def gathering_url(network: Network, gathering: Any) -> str | None:
    return url(
        "gatherings:detail",
        {"slug": network.slug, "pk": gathering.pk},
        {"slug": network.slug, "gathering_id": gathering.pk},
    )


def calendar_url(network: Network) -> str | None:
    for name in ("gatherings_global:network_feed", "gatherings_global:calendar"):
        found = url(name, {"slug": network.slug})
        if found:
            return found
    return f"/n/{network.slug}/calendar.ics"


def ask_url(network: Network) -> str | None:
    for name in ("results:ask", "results:request_new", "results:ask_help"):
        found = url(name, {"slug": network.slug})
        if found:
            return found
    return None


def apply_url(network: Network) -> str | None:
    return url("commitment:apply", {"slug": network.slug})
