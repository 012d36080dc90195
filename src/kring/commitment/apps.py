from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_home_panel, register_nav, register_start_step
from kring.core.ticks import register_tick


class CommitmentConfig(AppConfig):
    name = "kring.commitment"
    label = "commitment"
    verbose_name = _("Commitment and growth")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .jobs import tick_engagement, tick_purge
        from .panels import charter_panel, charter_step

        register_nav(
            NavItem(
                _("Commitment"),
                "commitment:mine",
                order=70,
                icon="list-checks",
                description=_("Our charter and how you take part"),
            )
        )
        register_nav(
            NavItem(
                _("Applications"),
                "commitment:applications",
                order=85,
                host_only=True,
                icon="user-plus",
                description=_("People who asked to join"),
            )
        )
        register_nav(
            NavItem(
                _("Health"),
                "commitment:health",
                order=86,
                host_only=True,
                icon="chart-column",
                description=_("How the network does on the seven conditions"),
            )
        )
        register_home_panel(charter_panel)
        register_start_step(charter_step)
        register_tick("commitment.purge_declined", tick_purge)
        register_tick("commitment.engagement", tick_engagement)
