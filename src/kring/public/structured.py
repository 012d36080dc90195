"""schema.org JSON-LD and Open Graph data for the public page, gatherings and posts."""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from kring.networks.models import Network

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def to_script_json(data: Any) -> SafeString:
    """JSON safe to embed in a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return mark_safe(text.translate(_ESCAPES))


def _val(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def organization(network: Network, url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Organization",
        "@id": f"{url}#organization",
        "name": network.name,
        "url": url,
        "description": network.purpose,
    }
    if network.city:
        data["address"] = {"@type": "PostalAddress", "addressLocality": network.city}
    return data


def event(
    network: Network, gathering: Any, *, url: str, org_url: str, signup_url: str | None
) -> dict[str, Any]:
    start = _val(gathering, "starts_at", "start")
    end = _val(gathering, "ends_at", "end")
    venue = _val(gathering, "venue_name", "location", default=network.city or network.name)
    address = _val(gathering, "venue_address", "address", default=network.city or "")
    online = _val(gathering, "online_url", default="")
    location: Any = {
        "@type": "Place",
        "name": venue,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address,
            "addressLocality": network.city,
        },
    }
    kind = _val(gathering, "mode", default="in_person")
    mode = "https://schema.org/OfflineEventAttendanceMode"
    if online and kind == "online":
        location = {"@type": "VirtualLocation", "url": online}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    elif online:
        location = [location, {"@type": "VirtualLocation", "url": online}]
        mode = "https://schema.org/MixedEventAttendanceMode"
    capacity = _val(gathering, "capacity")
    taken = _val(gathering, "seats_taken", default=0) or 0
    full = bool(capacity) and taken >= capacity and kind != "online"
    data = {
        "@type": "Event",
        "name": _val(gathering, "title", "name", default=str(gathering)),
        "startDate": start.isoformat() if start else None,
        "endDate": end.isoformat() if end else None,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "location": location,
        "description": (_val(gathering, "description", default="") or "")[:500],
        "organizer": {"@id": f"{org_url}#organization"},
        "url": url,
    }
    # The real guest contribution; no price at all when the hosts have not stated one.
    price_cents = getattr(gathering, "guest_contribution_cents", None)
    if isinstance(gathering, dict):
        price_cents = gathering.get("guest_contribution_cents")
    if price_cents is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": f"{price_cents / 100:.2f}",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/SoldOut" if full else "https://schema.org/InStock",
            "url": signup_url or url,
        }
        if not price_cents:
            data["isAccessibleForFree"] = True
    return {k: v for k, v in data.items() if v is not None}


def article(post: Any, *, url: str, org_url: str) -> dict[str, Any]:
    return {
        "@type": "Article",
        "headline": post.title[:110],
        "description": post.excerpt,
        "datePublished": post.created_at.isoformat(),
        "dateModified": post.updated_at.isoformat(),
        "author": {"@type": "Person", "name": post.public_author_name},
        "publisher": {"@id": f"{org_url}#organization"},
        "url": url,
        "mainEntityOfPage": url,
    }


def graph(items: list[dict[str, Any]]) -> SafeString:
    return to_script_json({"@context": "https://schema.org", "@graph": items})
