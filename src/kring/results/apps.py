from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kring.results"
    label = "results"
