from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_nav


class NetworksConfig(AppConfig):
    name = "kring.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:

        register_nav(NavItem(_("Home"), "net:home", order=0))
        register_nav(NavItem(_("People"), "net:directory", order=10))
        register_nav(NavItem(_("Invitations"), "net:invitations", order=90, host_only=True))
        register_nav(NavItem(_("Members"), "net:members", order=91, host_only=True))
        register_nav(NavItem(_("Settings"), "net:settings", order=92, host_only=True))
