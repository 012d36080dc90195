from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker for the configured queue (database or Redis)."

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.endswith("RQBackend"):
            from kring.core.rq_backend import run_worker

            run_worker()
        elif backend.startswith("django_tasks_db"):
            call_command("db_worker", interval=1.0)
        else:
            self.stdout.write(f"Tasks run inline with {backend}; no worker needed.")
