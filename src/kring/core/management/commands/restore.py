from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kring.core.backup import BackupError, describe, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `kring backup` (replaces the database and media; in "
        "development also the generated secret key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (the same as --yes).",
        )
        parser.add_argument("--no-media", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"] and options["interactive"]:
            if not sys.stdin.isatty():
                raise CommandError(
                    "Not restored: there is no terminal to confirm on. "
                    "Use --yes (or --no-input) to restore without asking."
                )
            try:
                answer = input("This replaces ALL data with the backup. Type 'restore': ")
            except EOFError:
                answer = ""
            if answer.strip() != "restore":
                raise CommandError("Not restored.")
        try:
            manifest = restore(options["path"], include_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored and verified: {describe(manifest)}")
