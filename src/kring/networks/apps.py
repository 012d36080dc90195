from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.registry import NavItem, register_nav, register_start_step


class NetworksConfig(AppConfig):
    name = "kring.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from kring.core.warm import register_warm_visits  # imports models

        from . import steps  # imports the models: once the registry is ready
        from .warm import member_visits

        register_nav(
            NavItem(
                pgettext_lazy("navigation", "Home"), "net:home", order=0, icon="house", slot="tab"
            )
        )
        register_nav(NavItem(_("People"), "net:directory", order=25, icon="users", slot="tab"))
        register_nav(
            NavItem(
                _("Invitations"),
                "net:invitations",
                order=90,
                host_only=True,
                icon="mail",
                description=_("Invite people by e-mail or with a link"),
            )
        )
        register_nav(
            NavItem(
                _("Members"),
                "net:members",
                order=91,
                host_only=True,
                icon="users-round",
                description=_("Roles, pauses and who left"),
            )
        )
        register_nav(
            NavItem(
                _("Settings"),
                "net:settings",
                order=92,
                host_only=True,
                icon="settings",
                description=_("Purpose, public page and how people join"),
            )
        )
        for step in (steps.profile_step, steps.purpose_step, steps.invite_step):
            register_start_step(step)
        register_start_step(steps.public_page_step)
        register_warm_visits(member_visits)
