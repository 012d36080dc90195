"""The ledger's panels: my balance on the network home, a member's balance on their profile."""

from __future__ import annotations

from typing import Any

from kring.core.registry import Panel

from .selectors import balance_of, my_panel


def home_panel(request: Any, acc: Any) -> Panel | None:

    return Panel(
        "ledger/_home_panel.html",
        {"network": acc.network, **my_panel(acc.network, request.user)},
        order=40,
    )


def profile_panel(request: Any, acc: Any, membership: Any) -> Panel | None:

    return Panel(
        "ledger/_profile_panel.html",
        {"network": acc.network, "balance": balance_of(acc.network, membership.user_id)},
        order=60,
    )
