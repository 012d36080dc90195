from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import (
    NavItem,
    register_home_panel,
    register_nav,
    register_profile_panel,
)


class LedgerConfig(AppConfig):
    name = "kring.ledger"
    label = "ledger"
    verbose_name = _("Costs")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .panels import home_panel, profile_panel

        register_nav(NavItem(_("Costs"), "ledger:index", order=40, icon="wallet", slot="tab"))
        register_home_panel(home_panel)
        register_profile_panel(profile_panel)
