from django.apps import AppConfig


class IntroductionsConfig(AppConfig):
    name = "kring.introductions"
    label = "introductions"
