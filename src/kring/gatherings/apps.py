from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import (
    NavItem,
    register_home_panel,
    register_nav,
    register_offline_asset,
    register_start_step,
)
from kring.core.ticks import register_tick
from kring.notify.kinds import Kind, register_kind


class GatheringsConfig(AppConfig):
    name = "kring.gatherings"
    label = "gatherings"
    verbose_name = _("Gatherings")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .follow_up import follow_up_due
        from .panels import answer_step, first_gathering_step, next_gathering_panel
        from .tasks import agenda_reminders_due, day_before_due, overdue_actions_due

        register_nav(
            NavItem(_("Gatherings"), "gatherings:list", order=20, icon="calendar", slot="tab")
        )
        register_home_panel(next_gathering_panel)
        register_start_step(answer_step)
        register_start_step(first_gathering_step)
        register_offline_asset("gatherings/door.js")  # the door list works offline
        register_tick("gatherings.agenda_reminders", agenda_reminders_due)
        register_tick("gatherings.overdue_actions", overdue_actions_due)
        register_tick("gatherings.day_before", day_before_due)
        register_tick("gatherings.guest_follow_up", follow_up_due)
        register_kind(
            Kind(
                "guest_follow_up",
                _("Thanks after a gathering, for guests"),
                optional=False,
                push=False,
                order=96,
            )
        )
