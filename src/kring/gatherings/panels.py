"""The "Next gathering" panel on the network home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kring.core.registry import Panel

from .selectors import next_gathering_for


def next_gathering_panel(request: HttpRequest, acc: Any) -> Panel:
    gathering = next_gathering_for(acc.network, request.user)
    if gathering is not None:
        gathering.network = acc.network  # the template's local_when needs its time zone
    return Panel(
        template="gatherings/_home_panel.html",
        context={
            "gathering": gathering,
            "slug": acc.network.slug,
        },
        order=10,
    )
