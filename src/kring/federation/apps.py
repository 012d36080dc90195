from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "kring.federation"
    label = "federation"
    verbose_name = _("Fediverse")

    def ready(self) -> None:
        from kring.core.registry import NavItem, register_nav
        from kring.core.ticks import register_tick

        from .tasks import prune_tick, retry_tick

        register_nav(NavItem(_("Fediverse"), "federation:settings", order=90, host_only=True))
        register_tick("federation.deliveries", retry_tick)
        register_tick("federation.prune", prune_tick)
