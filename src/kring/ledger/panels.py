"""The ledger's panel on the network home: my balance."""

from __future__ import annotations

from typing import Any

from kring.core.registry import Panel


def home_panel(request: Any, acc: Any) -> Panel | None:
    from .selectors import my_panel

    return Panel(
        "ledger/_home_panel.html",
        {"network": acc.network, **my_panel(acc.network, request.user)},
        order=40,
    )
