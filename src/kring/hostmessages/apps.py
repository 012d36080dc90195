from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostMessagesConfig(AppConfig):
    name = "kring.hostmessages"
    label = "hostmessages"
    verbose_name = _("Messages from the hosts")

    def ready(self) -> None:
        from kring.core.registry import NavItem, register_nav

        register_nav(NavItem(_("From the hosts"), "hostmessages:index", order=85))
