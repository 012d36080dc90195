from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "kring.public"
    label = "public"
