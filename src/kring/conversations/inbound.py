"""Replies by e-mail: one RFC 5322 message in, one message in a conversation out.

Used by ``kring mail-in`` (a Postfix/Exim pipe) and by the SMTP listener (``kring smtp-in``,
started by ``kring serve`` when ``KRING_INBOUND_SMTP_PORT`` is set). The recipient must be a
valid signed reply address (see :mod:`.addresses`); the From address must be the e-mail of
the person that address was issued to. Quoted text and signatures are stripped with
``mail-parser-reply``. Auto-replies are dropped. Nothing here ever tells a sender more than
"refused".
"""

from __future__ import annotations

import email
import email.policy
import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import MIMEPart
from email.utils import getaddresses, parseaddr

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from kring.core.errors import DomainError, NotAllowed
from kring.people.models import User

from . import services
from .addresses import BadAddress, ReplyTarget, inbound_domain, parse_reply_address
from .models import Conversation, Message, Via

logger = logging.getLogger("kring.conversations.inbound")

#: Our notification mails start with this line; anything from it on is the quoted mail.
REPLY_MARKER = "## ---- Reply above this line ---- ##"
MAX_BYTES = 1_000_000


@dataclass
class Result:
    """``status``: delivered, dropped (quietly, e.g. an auto-reply), or refused."""

    status: str
    reason: str = ""
    message: Message | None = None


def recipient_target(address: str, *, now: datetime | None = None) -> ReplyTarget | None:
    """The target of one of our reply addresses, or None (unknown, forged, expired)."""
    try:
        return parse_reply_address(address, now=now or timezone.now())
    except BadAddress as exc:
        logger.info("inbound mail: refused recipient (%s)", exc.reason)
        return None


def _candidate_recipients(msg: MIMEPart) -> list[str]:
    values: list[str] = []
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        values.extend(str(v) for v in msg.get_all(header, []))
    domain = inbound_domain()
    return [addr for _name, addr in getaddresses(values) if addr.lower().endswith("@" + domain)]


def _is_auto_reply(msg: MIMEPart) -> bool:
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    return (
        auto != "no"
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or msg.get("X-Autoreply") is not None
        or msg.get("X-Autorespond") is not None
    )


def _text_of(msg: MIMEPart) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = re.sub(r"(?is)<(script|style|blockquote)\b.*?</\1>", "", content)
        content = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content)
        content = html.unescape(strip_tags(content))
    return content


def reply_text(raw_text: str, *, languages: tuple[str, ...] = ("nl", "en")) -> str:
    """The new text of a reply: our marker, quoted text and signatures cut off."""
    text = raw_text.replace("\r\n", "\n")
    if REPLY_MARKER in text:
        text = text.split(REPLY_MARKER, 1)[0]
    parsed = EmailReplyParser(languages=list(languages)).read(text)
    body = parsed.replies[0].body if parsed.replies else text
    # What the parser leaves of a quote (a "> " block at the end, e.g. after a header line in
    # a language it does not know) is not part of the reply either.
    lines = body.rstrip().split("\n")
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    if lines and re.search(r"(schreef|wrote)\s*.*:\s*$", lines[-1], re.IGNORECASE):
        lines.pop()
    return "\n".join(lines).strip()


def _sender_matches(user: User, from_address: str) -> bool:
    address = from_address.strip().lower()
    if not address:
        return False
    if address == user.email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def receive(
    raw: bytes, *, recipients: list[str] | None = None, now: datetime | None = None
) -> Result:
    """Deliver one inbound mail into its conversation. Never raises for bad input."""
    now = now or timezone.now()
    if len(raw) > MAX_BYTES:
        return Result("refused", "too large")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, MIMEPart)  # the default policy gives a MIME part with get_body()
    addresses = [a for a in (recipients or []) if a] or _candidate_recipients(msg)
    targets = [t for t in (recipient_target(a, now=now) for a in addresses) if t is not None]
    if not targets:
        return Result("refused", "unknown recipient")
    if _is_auto_reply(msg):
        return Result("dropped", "automatic reply")
    target = targets[0]
    conversation = (
        Conversation.objects.select_related("network")
        .filter(pk=target.conversation_id, participants__user_id=target.user_id)
        .first()
    )
    user = User.objects.filter(pk=target.user_id, is_active=True).first()
    if conversation is None or user is None:
        return Result("refused", "unknown recipient")
    _name, from_address = parseaddr(str(msg.get("From", "")))
    if not _sender_matches(user, from_address):
        logger.info("inbound mail: From does not match conversation %s", conversation.pk)
        return Result("refused", "sender does not match")
    body = reply_text(_text_of(msg), languages=(user.language, "nl", "en"))
    try:
        message = services.post_message(
            actor=user, conversation=conversation, body=body, via=Via.MAIL, now=now
        )
    except NotAllowed:
        return Result("dropped", "not possible")  # a block ends messages silently
    except DomainError as exc:
        return Result("refused", exc.code)
    return Result("delivered", message=message)
