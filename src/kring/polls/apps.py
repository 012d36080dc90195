from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "kring.polls"
    label = "polls"
    verbose_name = _("Date polls")

    def ready(self) -> None:
        from kring.core.registry import NavItem, register_nav

        register_nav(NavItem(_("Date polls"), "polls:list", order=22))
