"""Use-cases for e-mail settings and one-click unsubscribe."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core import signing
from django.db import transaction

from kring.core import audit
from kring.networks.models import Network
from kring.people.models import User

from .models import NotificationKind, NotificationSetting

TOKEN_SALT = "kring.public.unsubscribe"  # noqa: S105 - a signing salt, not a secret


def settings_for(*, user: Any, network: Network) -> dict[str, bool]:
    chosen = dict(
        NotificationSetting.objects.filter(user=user, network=network).values_list(
            "kind", "enabled"
        )
    )
    return {kind: chosen.get(kind, True) for kind in NotificationKind.values}


def wants(*, user: Any, network: Network, kind: str) -> bool:
    row = NotificationSetting.objects.filter(user=user, network=network, kind=kind).first()
    return True if row is None else row.enabled


@transaction.atomic
def set_notification_settings(*, actor: Any, network: Network, choices: Mapping[str, Any]) -> None:
    for kind in NotificationKind.values:
        if kind in choices:
            NotificationSetting.objects.update_or_create(
                user=actor,
                network=network,
                kind=kind,
                defaults={"enabled": bool(choices[kind])},
            )
    audit.record(
        verb="notifications.updated",
        actor=actor,
        network=network,
        **{k: bool(v) for k, v in choices.items() if k in NotificationKind.values},
    )


def make_unsubscribe_token(*, user: Any, network: Network, kind: str) -> str:
    return signing.dumps([user.pk, network.pk, kind], salt=TOKEN_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, Network, str] | None:
    try:
        user_id, network_id, kind = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in NotificationKind.values:
        return None
    user = User.objects.filter(pk=user_id).first()
    network = Network.objects.filter(pk=network_id).first()
    if user is None or network is None:
        return None
    return user, network, kind


@transaction.atomic
def unsubscribe(*, user: Any, network: Network, kind: str) -> None:
    NotificationSetting.objects.update_or_create(
        user=user, network=network, kind=kind, defaults={"enabled": False}
    )
    audit.record(
        verb="notifications.unsubscribed", actor=None, network=network, obj=user, kind=kind
    )


def kind_label(kind: str) -> str:
    return str(dict(NotificationKind.choices).get(kind, kind))
