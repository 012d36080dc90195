from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_home_panel, register_nav
from kring.core.ticks import register_tick


class CommitmentConfig(AppConfig):
    name = "kring.commitment"
    label = "commitment"
    verbose_name = _("Commitment and growth")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .jobs import tick_engagement, tick_purge
        from .panels import charter_panel

        register_nav(NavItem(_("Commitment"), "commitment:mine", order=70))
        register_nav(
            NavItem(_("Applications"), "commitment:applications", order=85, host_only=True)
        )
        register_nav(NavItem(_("Health"), "commitment:health", order=86, host_only=True))
        register_home_panel(charter_panel)
        register_tick("commitment.purge_declined", tick_purge)
        register_tick("commitment.engagement", tick_engagement)
