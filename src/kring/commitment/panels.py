"""The home panel that asks a member to accept a new charter version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.core.registry import Panel, Step

from .selectors import latest_charter, needs_reacceptance


def charter_panel(request: HttpRequest, acc: Any) -> Panel | None:

    latest = latest_charter(acc.network)
    if latest is None or not needs_reacceptance(acc.membership, latest):
        return None
    return Panel(
        "commitment/_charter_panel.html", {"version": latest, "network": acc.network}, order=1
    )


def charter_step(request: HttpRequest, acc: Any) -> Step | None:
    """Getting started: read and accept the charter (when the network has one)."""
    if not acc.network.charter:
        return None
    url = reverse("commitment:charter", kwargs={"slug": acc.network.slug})
    done = acc.membership.charter_accepted_at is not None
    return Step(_("Read and accept our charter"), url, done, order=30)
