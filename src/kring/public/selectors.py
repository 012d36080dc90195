"""Reads for the public page: everything a visitor may see, and nothing more."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from kring.knowledge.models import Post
from kring.knowledge.selectors import public_members, recent_public_posts
from kring.networks.models import Network
from kring.people.models import Visibility

from . import cache as page_cache
from . import sources

logger = logging.getLogger(__name__)

CACHE_SECONDS = 120


def last_modified(network: Network) -> datetime:
    """The newest change we can see cheaply: the network (its cover too), its public posts,
    public profiles, upcoming open gatherings (their covers too)."""
    stamps = [network.updated_at]
    gathering = sources.open_gatherings_changed_at(network)
    if gathering:
        stamps.append(gathering)
    post = Post.objects.filter(network=network).public().aggregate(m=Max("updated_at"))["m"]
    if post:
        stamps.append(post)

    prof = network.memberships.filter(user__profile__visibility=Visibility.PUBLIC).aggregate(
        m=Max("user__profile__updated_at")
    )["m"]
    if prof:
        stamps.append(prof)
    return max(stamps)


def bucket(now: datetime | None = None) -> int:
    """Other apps' changes are not in ``last_modified``: the ETag also rolls over every
    ``CACHE_SECONDS`` so gatherings and objectives never look stale for longer."""
    now = now or timezone.now()
    return int(now.timestamp()) // CACHE_SECONDS


def etag(network: Network, *, language: str, viewer: str, stamp: datetime | None = None) -> str:
    stamp = stamp or last_modified(network)
    raw = f"{network.pk}:{stamp.isoformat()}:{bucket()}:{language}:{viewer}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _objective_row(o: Any) -> dict[str, Any]:
    def val(*names: str) -> Any:
        for n in names:
            v = o.get(n) if isinstance(o, dict) else getattr(o, n, None)
            if callable(v):
                try:
                    v = v()
                except TypeError:
                    continue
            if v not in (None, ""):
                return v
        return None

    progress = o
    obj = getattr(o, "objective", None)  # results' Progress rows wrap the objective
    if obj is not None:
        o = obj
    title = val("title", "name") or str(o)
    target = val("target", "target_value")
    current = getattr(progress, "total", None) if obj is not None else None
    if current is None:
        current = val("progress", "current", "current_value", "achieved")
    percent = getattr(progress, "bar_percent", None) if obj is not None else None
    if percent is None:
        percent = val("percent", "progress_percent")

    if (
        percent is None
        and isinstance(target, (int, float, Decimal))
        and isinstance(current, (int, float, Decimal))
        and target
    ):
        percent = round(100 * float(current) / float(target))
    if isinstance(percent, (int, float)):
        percent = max(0, min(100, int(percent)))
    return {
        "title": title,
        "description": val("description", "why") or "",
        "target": target,
        "current": current,
        "percent": percent,
        "unit": val("custom_unit", "get_unit_display", "unit_label", "unit") or "",
        "depth": getattr(progress, "depth", 0) or 0,
    }


def page_data(network: Network, *, stamp: datetime | None = None) -> dict[str, Any]:
    """The expensive part of the public page, cached briefly per network and change stamp."""
    stamp = stamp or last_modified(network)
    # Other apps hand over labels already translated: one cached copy per language.
    # The version changes with every use-case that changes the page (kring.public.cache).
    key = (
        f"public:page:{network.pk}:{page_cache.version(network.pk)}:{get_language()}:"
        f"{stamp.timestamp()}:{bucket()}"
    )
    data = cache.get(key)
    if data is not None:
        return data
    gatherings = sources.upcoming_open_gatherings(network)
    data = {
        "gatherings": [
            {"obj": g, "signup_url": sources.guest_signup_url(network, g)} for g in gatherings
        ],
        "objectives": [_objective_row(o) for o in sources.public_objectives(network)],
        "impact": sources.public_impact(network),
        "health": sources.public_health(network),
        "cost": sources.cost_summary(network),
        "posts": recent_public_posts(network, limit=6),
        "members": list(public_members(network)),
    }
    try:
        cache.set(key, data, CACHE_SECONDS)
    except Exception:  # an unpicklable object from another app: serve it uncached
        logger.warning("public page data for %s not cached", network.slug, exc_info=True)
    return data
