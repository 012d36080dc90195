"""The results app's panel on a member's profile page (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from kring.core.registry import Panel

from .models import Intention


def intention_panel(request: Any, acc: Any, membership: Any) -> Any:
    intention = Intention.objects.filter(network=acc.network, user_id=membership.user_id).first()
    return Panel(
        template="results/_profile_panel.html",
        order=20,
        context={
            "intention": intention,
            "slug": acc.network.slug,
            "own": membership.user_id == request.user.pk,
        },
    )
