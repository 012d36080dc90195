from django.apps import AppConfig


class CommitmentConfig(AppConfig):
    name = "kring.commitment"
    label = "commitment"
