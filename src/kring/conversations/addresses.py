"""Signed, per-conversation reply addresses: ``r-<conversation>-<person>-<day>-<signature>``.

The address names the conversation and the person it was mailed to, the day it was issued
(base 36, days since 1970) and an HMAC of those (keyed by the secret key), lower-case only
because mail systems may change the case of the local part. It expires after
``VALID_DAYS``. Nobody's own address appears in a mail to the other side.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.crypto import salted_hmac

VALID_DAYS = 90
_SALT = "kring.conversations.reply-to"
_LOCAL = re.compile(r"^r-(\d{1,18})-(\d{1,18})-([0-9a-z]{1,8})-([0-9a-f]{20})$")


@dataclass(frozen=True)
class ReplyTarget:
    conversation_id: int
    user_id: int


class BadAddress(Exception):
    """Not one of ours, forged (bad signature) or expired."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _day(now: datetime) -> int:
    return int(now.timestamp() // 86400)


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def _sign(conversation_id: int, user_id: int, day36: str) -> str:
    payload = f"{conversation_id}-{user_id}-{day36}"
    return salted_hmac(_SALT, payload, algorithm="sha256").hexdigest()[:20]


def inbound_domain() -> str:
    return (getattr(settings, "KRING_INBOUND_DOMAIN", "") or "").strip().lower()


def reply_address(*, conversation_id: int, user_id: int, now: datetime) -> str | None:
    """The Reply-To for a mail to ``user_id`` about a conversation (None: no inbound mail)."""
    domain = inbound_domain()
    if not domain:
        return None
    day36 = _b36(_day(now))
    return (
        f"r-{conversation_id}-{user_id}-{day36}-{_sign(conversation_id, user_id, day36)}@{domain}"
    )


def parse_reply_address(address: str, *, now: datetime) -> ReplyTarget:
    """The conversation and person of a reply address, or ``BadAddress``."""
    local, _at, domain = address.strip().strip("<>").lower().rpartition("@")
    if not local or domain != inbound_domain():
        raise BadAddress("unknown")
    match = _LOCAL.match(local)
    if match is None:
        raise BadAddress("unknown")
    cid, uid, day36, signature = match.groups()
    if not hmac.compare_digest(signature, _sign(int(cid), int(uid), day36)):
        raise BadAddress("forged")
    if _day(now) - int(day36, 36) > VALID_DAYS:
        raise BadAddress("expired")
    return ReplyTarget(conversation_id=int(cid), user_id=int(uid))
