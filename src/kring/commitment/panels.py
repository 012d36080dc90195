"""The home panel that asks a member to accept a new charter version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kring.core.registry import Panel

from .selectors import latest_charter, needs_reacceptance


def charter_panel(request: HttpRequest, acc: Any) -> Panel | None:

    latest = latest_charter(acc.network)
    if latest is None or not needs_reacceptance(acc.membership, latest):
        return None
    return Panel(
        "commitment/_charter_panel.html", {"version": latest, "network": acc.network}, order=1
    )
