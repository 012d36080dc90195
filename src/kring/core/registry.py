"""Extension points so each domain app plugs into shared pages without editing them.

An app registers in its ``AppConfig.ready()``:

- ``register_nav(NavItem(...))`` — an entry in the network's navigation. ``slot`` says where:
  ``"tab"`` (the phone's bottom tab bar and the laptop's top bar; at most four plus "More"),
  ``"more"`` (the More page and menu), ``"manage"`` (host tools, the Manage page and menu;
  the default for ``host_only`` items) or ``"top"`` (an icon button in the top bar, e.g.
  notifications). ``icon`` names a Lucide icon in the sprite (``docs/design.md``); ``badge``
  is an optional ``fn(request, network) -> int | None`` shown as a count (an unread count;
  keep it to one query);
- ``register_home_panel(fn)`` — ``fn(request, acc) -> Panel | None`` on the network home;
- ``register_start_step(fn)`` — ``fn(request, acc) -> Step | None``: one item of the
  "getting started" checklist on the network home (``audience`` "member" or "host");
- ``register_profile_panel(fn)`` — ``fn(request, acc, membership) -> Panel | None`` on a
  member's profile in a network;
- ``register_offline_asset("app/file.js")`` — a static file the service worker keeps on the
  device when it installs (a page that works offline needs its script there before the first
  time it is opened without a connection; ``kring.core.installable``);
- ``register_worker_script("app/sw-part.js")`` — a static script the service worker imports
  for events of its own (web push: ``push/sw-push.js``).

``acc`` is the :class:`kring.networks.access.NetworkAccess` of the viewer. Panels are rendered
with their own template and context, ordered by ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language

SLOTS = ("tab", "more", "manage", "top")
MAX_TABS = 4  # plus "More": five destinations on a phone


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translated string
    url_name: str  # reversed with the network's slug
    order: int = 50
    host_only: bool = False
    icon: str = "layout-grid"  # a symbol in core/static/kring/icons.svg
    slot: str = ""  # "tab" | "more" | "manage" | "top"; "" = "manage" if host_only else "more"
    #: ``badge(request, network) -> int | None``: a small count shown beside the label.
    badge: Callable[[HttpRequest, Any], int | None] | None = None
    description: Any = ""  # one line under the label on the More and Manage pages

    @property
    def place(self) -> str:
        return self.slot or ("manage" if self.host_only else "more")


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class Step:
    """One item of a getting-started checklist: what to do, where, and whether it is done."""

    label: Any
    url: str
    done: bool
    audience: str = "member"  # "member" or "host"
    order: int = 50


_NAV: list[NavItem] = []
_STEPS: list[Callable[..., Step | None]] = []
_HOME: list[Callable[..., Panel | None]] = []
_PROFILE: list[Callable[..., Panel | None]] = []
_OFFLINE_ASSETS: list[str] = []
_WORKER_SCRIPTS: list[str] = []


def register_nav(item: NavItem) -> None:
    if item not in _NAV:
        _NAV.append(item)


def register_home_panel(fn: Callable[..., Panel | None]) -> None:
    if fn not in _HOME:
        _HOME.append(fn)


def register_start_step(fn: Callable[..., Step | None]) -> None:
    if fn not in _STEPS:
        _STEPS.append(fn)


def start_steps(request: HttpRequest, acc: Any) -> dict[str, list[Step]]:
    """The getting-started checklists for the viewer: ``{"member": [...], "host": [...]}``."""
    steps = sorted(
        (s for s in (fn(request, acc) for fn in _STEPS) if s is not None),
        key=lambda s: s.order,
    )
    return {
        "member": [s for s in steps if s.audience == "member"],
        "host": [s for s in steps if s.audience == "host" and acc.is_host],
    }


def register_profile_panel(fn: Callable[..., Panel | None]) -> None:
    if fn not in _PROFILE:
        _PROFILE.append(fn)


def register_offline_asset(path: str) -> None:
    """A static file (its name under ``STATIC_URL``) the service worker precaches."""
    if path not in _OFFLINE_ASSETS:
        _OFFLINE_ASSETS.append(path)


def offline_assets() -> list[str]:
    return list(_OFFLINE_ASSETS)


def register_worker_script(path: str) -> None:
    """A static script the service worker imports (``importScripts``) for its own events,
    e.g. ``push``; it sees the worker's ``CONFIG``."""
    if path not in _WORKER_SCRIPTS:
        _WORKER_SCRIPTS.append(path)


def worker_scripts() -> list[str]:
    return list(_WORKER_SCRIPTS)


_NAV_MEMO: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def nav_items(slug: str, *, is_host: bool) -> list[dict[str, Any]]:
    """Every navigation entry the viewer may see, in order, as plain dicts (fresh copies).

    The same for every request of a network, role and language: reversed and translated once
    per process (every page needs them; a reverse() costs as much as a small query)."""
    key = (slug, is_host, get_language(), get_script_prefix(), len(_NAV))
    items = _NAV_MEMO.get(key)
    if items is None:
        if len(_NAV_MEMO) > 4096:
            _NAV_MEMO.clear()
        items = _NAV_MEMO[key] = _nav_items(slug, is_host=is_host)
    return [dict(item) for item in items]


def _nav_items(slug: str, *, is_host: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for item in sorted(_NAV, key=lambda i: (i.order, str(i.label))):
        if item.host_only and not is_host:
            continue
        try:
            url = reverse(item.url_name, kwargs={"slug": slug})
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": str(item.label),
                "url": url,
                "icon": item.icon,
                "slot": item.place,
                "description": str(item.description),
                "item": item,
            }
        )
    return items


def navigation(network: Any, *, request: HttpRequest, is_host: bool) -> dict[str, Any]:
    """The network's navigation grouped for the shell: tabs, more, manage, top.

    At most ``MAX_TABS`` tabs (extra ones move to "more"); badges are counted here, once.
    ``current`` marks the entry whose URL is the longest prefix of the request's path.
    """
    path = request.path
    groups: dict[str, list[dict[str, Any]]] = {slot: [] for slot in SLOTS}
    entries = nav_items(network.slug, is_host=is_host)
    best = max((e["url"] for e in entries if path.startswith(e["url"])), key=len, default=None)
    for entry in entries:
        item: NavItem = entry.pop("item")
        entry["current"] = entry["url"] == best
        entry["badge"] = (item.badge(request, network) or None) if item.badge else None
        slot = entry["slot"]
        if slot == "tab" and len(groups["tab"]) >= MAX_TABS:
            slot = "more"
        groups[slot].append(entry)
    groups["more_current"] = any(e["current"] for e in groups["more"])  # type: ignore[assignment]
    groups["manage_current"] = any(e["current"] for e in groups["manage"])  # type: ignore[assignment]
    groups["more_badge"] = sum(e["badge"] or 0 for e in groups["more"]) or None  # type: ignore[assignment]
    return groups


def _collect(fns: list[Callable[..., Panel | None]], *args: Any) -> list[Panel]:
    panels = [p for p in (fn(*args) for fn in fns) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def home_panels(request: HttpRequest, acc: Any) -> list[Panel]:
    return _collect(_HOME, request, acc)


def profile_panels(request: HttpRequest, acc: Any, membership: Any) -> list[Panel]:
    return _collect(_PROFILE, request, acc, membership)
