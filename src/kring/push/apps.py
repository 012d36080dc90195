from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "kring.push"
    label = "push"
    verbose_name = _("Push notifications")

    def ready(self) -> None:
        from kring.core.registry import register_worker_script
        from kring.notify.channels import register_channel

        from .channel import PushChannel

        register_channel(PushChannel())
        register_worker_script("push/sw-push.js")  # push, notificationclick, renewal
