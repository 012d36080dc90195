"""``kring smtp-in``: listen for replies by SMTP (started by ``kring serve`` when
``KRING_INBOUND_SMTP_PORT`` is set)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kring.conversations.smtp import controller


class Command(BaseCommand):
    help = "Receive replies to conversation mails over SMTP (aiosmtpd)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=settings.KRING_INBOUND_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.KRING_INBOUND_SMTP_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["port"]:
            raise CommandError("Set KRING_INBOUND_SMTP_PORT (or pass --port).")
        if not settings.KRING_INBOUND_DOMAIN:
            raise CommandError("Set KRING_INBOUND_DOMAIN: the domain of the reply addresses.")
        server = controller(host=options["host"], port=options["port"])
        server.start()
        self.stdout.write(f"Receiving replies by SMTP on {options['host']}:{options['port']}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            server.stop()
