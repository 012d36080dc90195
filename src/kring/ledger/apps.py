from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "kring.ledger"
    label = "ledger"
