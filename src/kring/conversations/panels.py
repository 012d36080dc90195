from __future__ import annotations

from typing import Any

from kring.core.registry import Panel

from . import selectors


def profile_panel(request: Any, acc: Any, membership: Any) -> Panel | None:
    """ "Send a message" on another member's profile."""
    if membership is None or membership.user_id == request.user.pk:
        return None
    return Panel(
        template="conversations/_profile_panel.html",
        order=5,
        context={
            "slug": acc.network.slug,
            "other_id": membership.user_id,
            "name": membership.user.display_name,
        },
    )


def home_panel(request: Any, acc: Any) -> Panel | None:
    """For hosts: open reports of messages, if any."""
    if not acc.is_host:
        return None
    count = selectors.open_report_count(acc.network)
    if not count:
        return None
    return Panel(
        template="conversations/_home_panel.html",
        order=4,
        context={"slug": acc.network.slug, "count": count},
    )
