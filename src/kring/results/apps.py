from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def intention_panel(request: Any, acc: Any, membership: Any) -> Any:
    from kring.core.registry import Panel

    from .models import Intention

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


class ResultsConfig(AppConfig):
    name = "kring.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from kring.core.registry import NavItem, register_nav, register_profile_panel
        from kring.core.ticks import register_tick

        from .tasks import intention_review_tick

        register_nav(NavItem(_("Impact"), "results:index", order=40))
        register_nav(NavItem(_("Requests"), "results:requests", order=41))
        register_profile_panel(intention_panel)
        register_tick("results.intention_review", intention_review_tick)
