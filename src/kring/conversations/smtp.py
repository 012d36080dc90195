"""The inbound SMTP listener (aiosmtpd): replies to conversation mails, nothing else.

Recipients are checked at ``RCPT TO`` (unknown, forged or expired addresses get a plain 550,
which bounces the mail back to its sender without saying why); the message is handed to
:func:`kring.conversations.inbound.receive` at ``DATA``. Database work runs in a worker
thread, never in the event loop.
"""

from __future__ import annotations

from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections

from . import inbound


def _check_recipient(address: str) -> bool:
    close_old_connections()
    return inbound.recipient_target(address) is not None


def _deliver(raw: bytes, recipients: list[str]) -> inbound.Result:
    close_old_connections()
    try:
        return inbound.receive(raw, recipients=recipients)
    finally:
        close_old_connections()


class InboundHandler:
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if not await sync_to_async(_check_recipient, thread_sensitive=False)(address):
            return "550 5.1.1 No such recipient"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="replace")
        result = await sync_to_async(_deliver, thread_sensitive=False)(raw, envelope.rcpt_tos)
        if result.status == "refused":
            return "550 5.7.1 Message refused"
        return "250 Message accepted"


def controller(*, host: str, port: int) -> Controller:
    """A started-on-demand listener; ``.start()`` / ``.stop()``."""
    return Controller(
        InboundHandler(),
        hostname=host,
        port=port,
        data_size_limit=inbound.MAX_BYTES,
        ready_timeout=10,
    )
