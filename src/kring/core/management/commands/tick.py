from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kring.core.ticks import run_ticks


class Command(BaseCommand):
    help = "Enqueue whatever is due (reminders, digests). Safe to run every minute."

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_ticks(timezone.now())
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")
