"""Hosts' use-cases for the fediverse: switch it on or off, rotate the key, approve followers,
moderate replies, block instances and accounts."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotFound
from kring.networks.access import require_host
from kring.networks.models import Network

from . import delivery, documents, signatures
from .inbox import answer_follow
from .models import (
    Block,
    BlockKind,
    FederatedNetwork,
    Follower,
    FollowerStatus,
    RemoteReply,
    ReplyStatus,
)
from .policy import domain_of


def settings_for(network: Network) -> FederatedNetwork:
    fed, _created = FederatedNetwork.objects.get_or_create(network=network)
    return fed


def _send_actor_update(network: Network, fed: FederatedNetwork) -> None:
    doc = documents.actor(network, fed.public_key_pem, approve_followers=fed.approve_followers)
    delivery.send_to_followers(
        network, documents.wrap(network, "Update", doc, secrets.token_hex(8))
    )


@transaction.atomic
def set_federation(
    *, actor: Any, network: Network, enabled: bool, approve_followers: bool | None = None
) -> FederatedNetwork:
    """Put the network on the fediverse (or take it off). Needs the public page switched on."""
    require_host(actor, network)
    fed = FederatedNetwork.objects.select_for_update().filter(network=network).first()
    fed = fed or FederatedNetwork.objects.create(network=network)
    if enabled and not network.public_page_enabled:
        raise Conflict(
            _("Switch the public page on first: only public networks are on the fediverse."),
            field="enabled",
        )
    if enabled and not fed.private_key_pem:
        fed.private_key_pem, fed.public_key_pem = signatures.generate_key_pair()
        fed.key_rotated_at = timezone.now()
    changed_policy = approve_followers is not None and approve_followers != fed.approve_followers
    fed.enabled = enabled
    if approve_followers is not None:
        fed.approve_followers = approve_followers
    fed.save()
    # The public page shows the handle: its cache stamp must move.
    Network.objects.filter(pk=network.pk).update(updated_at=timezone.now())
    if enabled and changed_policy:
        _send_actor_update(network, fed)
    audit.record(
        verb="federation.set",
        actor=actor,
        network=network,
        obj=fed,
        enabled=enabled,
        approve_followers=fed.approve_followers,
    )
    return fed


@transaction.atomic
def rotate_key(*, actor: Any, network: Network) -> FederatedNetwork:
    """A new key pair; followers get an Update of the actor with the new public key."""
    require_host(actor, network)
    fed = settings_for(network)
    if not fed.enabled:
        raise Conflict(_("The network is not on the fediverse."))
    fed.private_key_pem, fed.public_key_pem = signatures.generate_key_pair()
    fed.key_rotated_at = timezone.now()
    fed.save()
    _send_actor_update(network, fed)
    audit.record(verb="federation.key_rotated", actor=actor, network=network, obj=fed)
    return fed


def _follower(network: Network, follower_id: int) -> Follower:
    follower = (
        Follower.objects.select_related("actor").filter(network=network, pk=follower_id).first()
    )
    if follower is None:
        raise NotFound(_("No such follower."))
    return follower


@transaction.atomic
def approve_follower(*, actor: Any, network: Network, follower_id: int) -> Follower:
    require_host(actor, network)
    follower = _follower(network, follower_id)
    if follower.status != FollowerStatus.ACCEPTED:
        follower.status = FollowerStatus.ACCEPTED
        follower.save(update_fields=["status"])
        answer_follow(network, follower, accept=True)
        audit.record(
            verb="federation.follower_approved", actor=actor, network=network, obj=follower
        )
    return follower


@transaction.atomic
def remove_follower(*, actor: Any, network: Network, follower_id: int) -> None:
    """Refuse a pending follower or remove an accepted one (they are sent a Reject)."""
    require_host(actor, network)
    follower = _follower(network, follower_id)
    answer_follow(network, follower, accept=False)
    audit.record(
        verb="federation.follower_removed", actor=actor, network=network, handle=str(follower)
    )
    follower.delete()


@transaction.atomic
def moderate_reply(*, actor: Any, network: Network, reply_id: int, approve: bool) -> RemoteReply:
    require_host(actor, network)
    reply = RemoteReply.objects.filter(network=network, pk=reply_id).first()
    if reply is None:
        raise NotFound(_("No such reply."))
    reply.status = ReplyStatus.APPROVED if approve else ReplyStatus.REJECTED
    reply.moderated_at = timezone.now()
    reply.save(update_fields=["status", "moderated_at"])
    audit.record(
        verb="federation.reply_moderated",
        actor=actor,
        network=network,
        obj=reply,
        status=reply.status,
    )
    return reply


def normalise_block(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == BlockKind.DOMAIN:
        value = value.lower().removeprefix("https://").removeprefix("http://").split("/")[0]
        value = value.lstrip("@").split("@")[-1].strip(".")
        if not value or "." not in value or " " in value:
            raise DomainError(_("Give a domain like mastodon.example."), field="value")
        return value[:255]
    if kind == BlockKind.ACTOR:
        if not value.startswith(("https://", "http://")) or not domain_of(value):
            raise DomainError(_("Give the account's address (https://…)."), field="value")
        return value[:500]
    raise DomainError(_("Block an instance or an account."), field="kind")


@transaction.atomic
def block(*, actor: Any, network: Network, kind: str, value: str) -> Block:
    """Block an instance or an account: its followers go, its replies are rejected."""
    require_host(actor, network)
    value = normalise_block(kind, value)
    row, _created = Block.objects.get_or_create(network=network, kind=kind, value=value)
    followers = Follower.objects.filter(network=network)
    replies = RemoteReply.objects.filter(network=network, status=ReplyStatus.HELD)
    if kind == BlockKind.DOMAIN:
        followers = followers.filter(actor__domain__in=[value]) | followers.filter(
            actor__domain__endswith="." + value
        )
        replies = replies.filter(actor__domain=value) | replies.filter(
            actor__domain__endswith="." + value
        )
    else:
        followers = followers.filter(actor__ap_id=value)
        replies = replies.filter(actor__ap_id=value)
    followers.delete()
    replies.update(status=ReplyStatus.REJECTED, moderated_at=timezone.now())
    audit.record(verb="federation.blocked", actor=actor, network=network, kind=kind, value=value)
    return row


@transaction.atomic
def unblock(*, actor: Any, network: Network, block_id: int) -> None:
    require_host(actor, network)
    deleted, _rows = Block.objects.filter(network=network, pk=block_id).delete()
    if not deleted:
        raise NotFound(_("No such block."))
    audit.record(verb="federation.unblocked", actor=actor, network=network)
