"""Old one-click unsubscribe links (digests sent before ``kring.notify``) keep working.

Choices about e-mail live in ``kring.notify`` now; a link of the old form turns the weekly
digest off there.
"""

from __future__ import annotations

from django.core import signing

from kring.networks.models import Network
from kring.notify.kinds import Kind, get_kind
from kring.people.models import User

TOKEN_SALT = "kring.public.unsubscribe"  # noqa: S105 - a signing salt, not a secret

#: The old per-network kinds that had an e-mail behind them, and their kind now.
OLD_KINDS = {"digest": "digest", "gatherings": "gathering_reminder", "actions": "action_overdue"}


def read_unsubscribe_token(token: str) -> tuple[User, Network, Kind] | None:
    try:
        user_id, network_id, kind = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in OLD_KINDS:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    network = Network.objects.filter(pk=network_id).first()
    if user is None or network is None:
        return None
    return user, network, get_kind(OLD_KINDS[kind])
