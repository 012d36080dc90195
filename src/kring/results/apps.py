from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_nav, register_profile_panel
from kring.core.ticks import register_tick


class ResultsConfig(AppConfig):
    name = "kring.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .panels import intention_panel
        from .tasks import intention_review_tick

        register_nav(NavItem(_("Impact"), "results:index", order=40))
        register_nav(NavItem(_("Requests"), "results:requests", order=41))
        register_profile_panel(intention_panel)
        register_tick("results.intention_review", intention_review_tick)
