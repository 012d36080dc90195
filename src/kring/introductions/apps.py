from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_home_panel, register_nav
from kring.core.ticks import register_tick


class IntroductionsConfig(AppConfig):
    name = "kring.introductions"
    label = "introductions"
    verbose_name = _("Introductions")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .jobs import scheduled_rounds_tick
        from .panels import home_panel

        register_nav(
            NavItem(
                _("Introductions"),
                "introductions:index",
                order=30,
                icon="handshake",
                description=_("Who you meet next, and who you already know"),
            )
        )
        register_home_panel(home_panel)
        register_tick("introductions.scheduled_rounds", scheduled_rounds_tick)
