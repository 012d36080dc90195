from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kring.privacy"
    label = "privacy"

    def ready(self) -> None:
        from . import retention, security

        security.connect()
        retention.register()
