from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kring.core import pagecache
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
        site_url = demo_site_url(options["host"], options["port"])
        if site_url:  # links in demo mail point at this server (children inherit it)
            os.environ["KRING_SITE_URL"] = site_url
            settings.SITE_URL = site_url
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Seeding the demo network…")
        with pagecache.paused():  # thousands of rows: one page-cache version change at the end
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
  Push notifications: log in, open {url}notifications/devices/ and turn them on
  (Chromium or Firefox; localhost needs no https), then choose kinds under Notifications.
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


def demo_site_url(host: str, port: int) -> str | None:
    """The address the demo serves, for links in its e-mail; ``None`` when
    ``KRING_SITE_URL`` was set explicitly (e.g. behind a proxy), which then wins."""
    if os.environ.get("KRING_SITE_URL"):
        return None
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - listening everywhere; link to this machine
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
