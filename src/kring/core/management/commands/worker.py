from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kring.core.worker import run_database_worker, run_redis_worker


class Command(BaseCommand):
    help = (
        "Run the background task worker for the configured queue (database or Redis), with "
        "the scheduler in it: one worker among all servers leads and runs the ticks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Never run the scheduler in this worker (it still runs tasks).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        scheduler = not options["no_scheduler"]
        if backend.endswith("RQBackend"):
            run_redis_worker(scheduler=scheduler)
        elif backend.startswith("django_tasks_db"):
            run_database_worker(scheduler=scheduler)
        else:
            self.stdout.write(f"Tasks run inline with {backend}; no worker needed.")
