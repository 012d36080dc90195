"""Guest link tokens, shared by the guest use-cases and the e-mails that link to a guest's page."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from .models import Rsvp


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def guest_link_token(rsvp: Rsvp) -> str:
    """A token for the guest's page in later e-mails (promotion, changes), when the raw token
    of the sign-up mail is no longer known: ``<rsvp id>.<HMAC of the stored token hash>``.

    It stays valid as long as the sign-up does (a new sign-up with the same address issues a
    new token hash, which invalidates it) and never reveals the original token.
    """
    mac = salted_hmac(
        "kring.gatherings.guest_link", rsvp.guest_token_hash, algorithm="sha256"
    ).hexdigest()
    return f"{rsvp.pk}.{mac[:40]}"
