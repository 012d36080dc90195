from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_nav, register_profile_panel, register_start_step
from kring.core.ticks import register_tick


def intention_step(request: Any, acc: Any) -> Any:
    """Getting started: say openly what you seek here and what you give."""
    from django.urls import reverse

    from kring.core.registry import Step

    from .models import Intention

    done = Intention.objects.filter(network=acc.network, user=request.user).exists()
    url = reverse("results:intentions", kwargs={"slug": acc.network.slug})
    return Step(_("Say what you seek here and what you give"), url, done, order=20)


class ResultsConfig(AppConfig):
    name = "kring.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .panels import intention_panel
        from .tasks import intention_review_tick

        register_nav(
            NavItem(
                _("Impact"),
                "results:index",
                order=40,
                icon="target",
                description=_("Our objectives and what we contributed"),
            )
        )
        register_nav(
            NavItem(
                _("Requests"),
                "results:requests",
                order=41,
                icon="hand-heart",
                description=_("Questions from outside the network that we help with"),
            )
        )
        register_profile_panel(intention_panel)
        register_start_step(intention_step)
        register_tick("results.intention_review", intention_review_tick)
