from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionsConfig(AppConfig):
    name = "kring.introductions"
    label = "introductions"
    verbose_name = _("Introductions")

    def ready(self) -> None:
        from kring.core.registry import NavItem, register_home_panel, register_nav
        from kring.core.ticks import register_tick

        from .panels import home_panel
        from .tasks import scheduled_rounds_tick

        register_nav(NavItem(_("Introductions"), "introductions:index", order=30))
        register_home_panel(home_panel)
        register_tick("introductions.scheduled_rounds", scheduled_rounds_tick)
