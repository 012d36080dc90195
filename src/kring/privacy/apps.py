from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kring.privacy"
    label = "privacy"
