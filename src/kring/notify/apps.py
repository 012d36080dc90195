from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "kring.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from kring.core.ticks import register_tick

        from . import channels
        from .tasks import bundle_tick, purge_tick, retry_tick

        channels.register_channel(channels.EmailChannel())
        register_tick("notify.daily_bundle", bundle_tick)
        register_tick("notify.purge_log", purge_tick)
        register_tick("notify.retry", retry_tick)
