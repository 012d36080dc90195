"""Where the ledger meets gatherings: the few reads of gatherings the ledger needs."""

from __future__ import annotations

from datetime import date

from kring.gatherings import selectors as gatherings_selectors
from kring.gatherings.models import ByoItem, Gathering
from kring.networks.models import Network


def gathering_in(network: Network, gathering_id: int) -> Gathering | None:
    return Gathering.objects.filter(network=network, pk=gathering_id).first()


def gathering_titles(network: Network, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(Gathering.objects.filter(network=network, pk__in=ids).values_list("pk", "title"))


def recent_gatherings(network: Network, *, limit: int = 60) -> list[tuple[int, str]]:
    rows = (
        Gathering.objects.filter(network=network)
        .order_by("-starts_at")
        .values_list("pk", "title", "starts_at")[:limit]
    )
    tz = network.tzinfo
    return [(pk, f"{title} ({starts.astimezone(tz):%d-%m-%Y})") for pk, title, starts in rows]


def checked_in_user_ids(gathering: Gathering) -> list[int]:
    return list(gatherings_selectors.checked_in_user_ids(gathering))


def attendee_count(gathering: Gathering) -> int:
    """Everyone who attended: members, guests and walk-ins, in person and online."""
    return gatherings_selectors.attendee_count(gathering)


def byo_brought(network: Network, gathering_ids: set[int] | None = None) -> dict[int, list[str]]:
    """Bring-Your-Own items that someone claimed, per gathering id (in kind, no money)."""
    qs = ByoItem.objects.filter(gathering__network=network, claimed_by__isnull=False)
    if gathering_ids is not None:
        qs = qs.filter(gathering_id__in=gathering_ids)
    out: dict[int, list[str]] = {}
    for gid, label in qs.values_list("gathering_id", "label"):
        out.setdefault(gid, []).append(label)
    return out


def gatherings_between(network: Network, start: date, end: date) -> dict[int, str]:
    return dict(
        Gathering.objects.filter(
            network=network, starts_at__date__gte=start, starts_at__date__lte=end
        ).values_list("pk", "title")
    )
