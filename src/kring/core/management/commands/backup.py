from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kring.core.backup import backup, describe


class Command(BaseCommand):
    help = "Write a consistent backup (database + media) to PATH (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--no-media", action="store_true", help="Leave uploaded files out.")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup(options["path"], include_media=not options["no_media"])
        self.stdout.write(f"{describe(manifest)} → {options['path']}")
