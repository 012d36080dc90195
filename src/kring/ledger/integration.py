"""Where the ledger meets gatherings — imported lazily, degrading gracefully when absent.

Gatherings is built alongside the ledger; every call here works (and returns "nothing known")
when that app, its models or its selectors are not available yet.
"""

from __future__ import annotations

from typing import Any

from kring.networks.models import Network


def _gatherings() -> tuple[Any, Any] | None:
    try:
        from kring.gatherings import models, selectors
    except ImportError:
        return None
    if not hasattr(models, "Gathering"):
        return None
    return models, selectors


def available() -> bool:
    return _gatherings() is not None


def gathering_in(network: Network, gathering_id: int) -> Any | None:
    mods = _gatherings()
    if mods is None:
        return None
    return mods[0].Gathering.objects.filter(network=network, pk=gathering_id).first()


def gathering_titles(network: Network, ids: set[int]) -> dict[int, str]:
    mods = _gatherings()
    if mods is None or not ids:
        return {}
    return dict(
        mods[0].Gathering.objects.filter(network=network, pk__in=ids).values_list("pk", "title")
    )


def recent_gatherings(network: Network, *, limit: int = 60) -> list[tuple[int, str]]:
    mods = _gatherings()
    if mods is None:
        return []
    rows = (
        mods[0]
        .Gathering.objects.filter(network=network)
        .order_by("-starts_at")
        .values_list("pk", "title", "starts_at")[:limit]
    )
    tz = network.tzinfo
    return [(pk, f"{title} ({starts.astimezone(tz):%d-%m-%Y})") for pk, title, starts in rows]


def checked_in_user_ids(gathering: Any) -> list[int]:
    mods = _gatherings()
    if mods is None or not hasattr(mods[1], "checked_in_user_ids"):
        return []
    return list(mods[1].checked_in_user_ids(gathering))


def attendee_count(gathering: Any) -> int:
    """Everyone who attended: members, guests and walk-ins, in person and online."""
    mods = _gatherings()
    if mods is None:
        return 0
    return int(mods[1].attendee_count(gathering))


def byo_brought(network: Network, gathering_ids: set[int] | None = None) -> dict[int, list[str]]:
    """Bring-Your-Own items that someone claimed, per gathering id (in kind, no money)."""
    mods = _gatherings()
    if mods is None or not hasattr(mods[0], "ByoItem"):
        return {}
    qs = mods[0].ByoItem.objects.filter(gathering__network=network, claimed_by__isnull=False)
    if gathering_ids is not None:
        qs = qs.filter(gathering_id__in=gathering_ids)
    out: dict[int, list[str]] = {}
    for gid, label in qs.values_list("gathering_id", "label"):
        out.setdefault(gid, []).append(label)
    return out


def gatherings_between(network: Network, start: Any, end: Any) -> dict[int, str]:
    mods = _gatherings()
    if mods is None:
        return {}
    return dict(
        mods[0]
        .Gathering.objects.filter(
            network=network,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .values_list("pk", "title")
    )
