from __future__ import annotations

from typing import Any

from kring.core.registry import Panel

from . import reasons, selectors


def home_panel(request: Any, acc: Any) -> Panel | None:
    intro = selectors.current_introduction(acc.network, request.user)
    if intro is None:
        return None
    participants = list(intro.participants.all())
    names = selectors.member_names(participants)
    mine = next((p for p in participants if p.user_id == request.user.pk), None)
    return Panel(
        template="introductions/_home_panel.html",
        order=20,
        context={
            "intro": intro,
            "others": [p for p in participants if p.user_id != request.user.pk],
            "mine": mine,
            "reasons": reasons.for_group(intro.details, names=names, viewer_id=request.user.pk),
        },
    )
