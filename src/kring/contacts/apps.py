from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "kring.contacts"
    label = "contacts"
    verbose_name = _("Contacts and imports")

    def ready(self) -> None:
        from kring.core.registry import NavItem, register_nav

        register_nav(NavItem(_("Contacts"), "contacts:list", order=85, host_only=True))
