"""Extension points so each domain app plugs into shared pages without editing them.

An app registers in its ``AppConfig.ready()``:

- ``register_nav(NavItem(...))`` — an entry in the network's navigation bar, optionally with
  a ``badge(request, network) -> int | None`` (e.g. an unread count; keep it to one query);
- ``register_home_panel(fn)`` — ``fn(request, acc) -> Panel | None`` on the network home;
- ``register_profile_panel(fn)`` — ``fn(request, acc, membership) -> Panel | None`` on a
  member's profile in a network.

``acc`` is the :class:`kring.networks.access.NetworkAccess` of the viewer. Panels are rendered
with their own template and context, ordered by ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translated string
    url_name: str  # reversed with the network's slug
    order: int = 50
    host_only: bool = False
    #: ``badge(request, network) -> int | None``: a small count shown beside the label.
    badge: Callable[[HttpRequest, Any], int | None] | None = None


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


_NAV: list[NavItem] = []
_HOME: list[Callable[..., Panel | None]] = []
_PROFILE: list[Callable[..., Panel | None]] = []


def register_nav(item: NavItem) -> None:
    if item not in _NAV:
        _NAV.append(item)


def register_home_panel(fn: Callable[..., Panel | None]) -> None:
    if fn not in _HOME:
        _HOME.append(fn)


def register_profile_panel(fn: Callable[..., Panel | None]) -> None:
    if fn not in _PROFILE:
        _PROFILE.append(fn)


def nav_items(
    slug: str, *, is_host: bool, request: HttpRequest | None = None, network: Any = None
) -> list[dict[str, Any]]:
    """The navigation entries; badges are computed only when ``request`` is given."""
    items = []
    for item in sorted(_NAV, key=lambda i: (i.order, str(i.label))):
        if item.host_only and not is_host:
            continue
        try:
            url = reverse(item.url_name, kwargs={"slug": slug})
        except NoReverseMatch:
            continue
        badge = item.badge(request, network) if item.badge and request is not None else None
        items.append({"label": str(item.label), "url": url, "badge": badge or None})
    return items


def _collect(fns: list[Callable[..., Panel | None]], *args: Any) -> list[Panel]:
    panels = [p for p in (fn(*args) for fn in fns) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def home_panels(request: HttpRequest, acc: Any) -> list[Panel]:
    return _collect(_HOME, request, acc)


def profile_panels(request: HttpRequest, acc: Any, membership: Any) -> list[Panel]:
    return _collect(_PROFILE, request, acc, membership)
