"""The one list of Kring's apps and what each plugs into the site.

Adding or removing an app is one entry here (plus the app's own package): ``settings`` installs
every app in this order, ``kring.urls`` mounts its URL modules, ``kring.api`` mounts its API
router and ``kring demo`` calls its ``demo.seed(ctx)``, all from this list. Navigation items,
panels and scheduled jobs an app registers itself in its ``AppConfig.ready()``
(``kring.core.registry``, ``kring.core.ticks``). See decision 0005.

This module is plain data (no Django import): ``settings`` reads it before Django is set up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KringApp:
    name: str
    """The package below ``kring``, e.g. ``"gatherings"``; also the app label."""
    urls: str = ""
    """A module of site-wide URLs mounted at ``/`` (e.g. ``"urls"``), or empty."""
    network_urls: str = ""
    """A module of network pages mounted at ``/n/<slug>/<network_prefix>``, or empty."""
    network_prefix: str = ""
    api: bool = False
    """The app has ``api.router``, mounted under ``/api/v1/`` and tagged with its name."""
    demo: bool = False
    """The app has ``demo.seed(ctx)``, called by ``kring demo`` in the order of this list."""

    @property
    def module(self) -> str:
        return f"kring.{self.name}"


APPS: tuple[KringApp, ...] = (
    KringApp("core", urls="urls"),
    KringApp("people", urls="urls", api=True),
    KringApp("networks", urls="urls", network_urls="urls_network", api=True),
    KringApp(
        "gatherings",
        urls="urls_global",
        network_urls="urls",
        network_prefix="gatherings/",
        api=True,
        demo=True,
    ),
    KringApp(
        "introductions",
        network_urls="urls",
        network_prefix="introductions/",
        api=True,
        demo=True,
    ),
    KringApp("ledger", network_urls="urls", network_prefix="ledger/", api=True, demo=True),
    KringApp("results", network_urls="urls", network_prefix="results/", api=True, demo=True),
    KringApp("knowledge", network_urls="urls", network_prefix="knowledge/", api=True, demo=True),
    KringApp("public", urls="urls", api=True, demo=True),
    KringApp("commitment", network_urls="urls", network_prefix="commitment/", api=True, demo=True),
    KringApp(
        "polls",
        urls="urls_global",
        network_urls="urls",
        network_prefix="polls/",
        api=True,
        demo=True,
    ),
    KringApp("contacts", network_urls="urls", network_prefix="contacts/"),
    KringApp(
        "conversations",
        network_urls="urls",
        network_prefix="conversations/",
        api=True,
        demo=True,
    ),
    KringApp("privacy", urls="urls"),
    KringApp("notify", urls="urls", api=True),
    KringApp("push", urls="urls", api=True),
    KringApp(
        "hostmessages",
        network_urls="urls",
        network_prefix="from-the-hosts/",
        api=True,
        demo=True,
    ),
    KringApp("federation", urls="urls", api=True, demo=True),
    KringApp("api"),
    KringApp("site", urls="urls"),
)
