"""``kring mail-in``: read one RFC 5322 message on stdin and deliver it to its conversation.

For a Postfix/Exim pipe transport, e.g. in Postfix's master.cf::

    kring unix - n n - - pipe flags=Rq user=kring argv=/path/to/kring mail-in ${recipient}

Exit codes follow sysexits: 0 delivered (or quietly dropped: an auto-reply, a block),
67 (EX_NOUSER) unknown, forged or expired address, 77 (EX_NOPERM) From does not match,
65 (EX_DATAERR) an empty or too long message.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from kring.conversations import inbound

EXIT = {"unknown recipient": 67, "sender does not match": 77}


class Command(BaseCommand):
    help = "Deliver one e-mail (RFC 5322 on stdin) as a reply in its conversation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "recipient", nargs="*", help="Envelope recipient(s); else read from the headers."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read(inbound.MAX_BYTES + 1)
        result = inbound.receive(raw, recipients=options["recipient"])
        if result.status == "refused":
            self.stderr.write(f"refused: {result.reason}")
            sys.exit(EXIT.get(result.reason, 65))
        self.stdout.write(result.status)
