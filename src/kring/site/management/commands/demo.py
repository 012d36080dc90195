from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kring.core.management.commands.serve import serve
from kring.site.demo import DEMO_PASSWORD, DEMO_SLUG, seed_all


class Command(BaseCommand):
    help = "Migrate, seed the demo network (idempotent), print the logins, then serve."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-serve", action="store_true", help="Seed only; do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Seeding the demo network…")
        seed_all(log=self.stdout.write)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(f"""
Kring demo is ready: {url}
  Network:  {url}n/{DEMO_SLUG}/
  Host:     host@example.org    password {DEMO_PASSWORD}
  Member:   member@example.org  password {DEMO_PASSWORD}
  (Every demo person, e.g. bram@example.org, has the same password.)
  E-mail is written to files in var/mail/.
""")
        )
        if options["no_serve"]:
            return
        serve(
            self,
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            no_worker=False,
            no_tick=False,
        )
