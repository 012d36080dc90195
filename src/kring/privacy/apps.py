from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kring.privacy"
    label = "privacy"

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from . import retention, security

        security.connect()
        retention.register()
