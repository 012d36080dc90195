from django.apps import AppConfig


class GatheringsConfig(AppConfig):
    name = "kring.gatherings"
    label = "gatherings"
