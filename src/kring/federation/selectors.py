"""Reads for the fediverse pages and API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from kring.networks.models import Network

from . import documents
from .models import (
    Block,
    Delivery,
    DeliveryStatus,
    FederatedNetwork,
    Follower,
    FollowerStatus,
    Peer,
    Reaction,
    RemoteReply,
    ReplyStatus,
)


@dataclass(frozen=True)
class Summary:
    enabled: bool
    approve_followers: bool
    handle: str
    followers: int
    pending_followers: int
    pending_replies: int
    failing_peers: int


def failing_peers(network: Network) -> QuerySet[Peer]:
    """Instances this network delivers to that are failing now (or dropped)."""
    domains = Delivery.objects.filter(network=network).values("domain")
    return Peer.objects.filter(domain__in=domains, failing_since__isnull=False).order_by("domain")


def summary(network: Network) -> Summary:
    fed = FederatedNetwork.objects.filter(network=network).first()
    counts = dict(
        Follower.objects.filter(network=network)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Summary(
        enabled=bool(fed and fed.enabled),
        approve_followers=bool(fed and fed.approve_followers),
        handle=documents.handle(network),
        followers=counts.get(FollowerStatus.ACCEPTED, 0),
        pending_followers=counts.get(FollowerStatus.PENDING, 0),
        pending_replies=RemoteReply.objects.filter(
            network=network, status=ReplyStatus.HELD
        ).count(),
        failing_peers=failing_peers(network).count(),
    )


def followers_by_instance(network: Network) -> list[dict[str, Any]]:
    rows = (
        Follower.objects.filter(network=network, status=FollowerStatus.ACCEPTED)
        .values("actor__domain")
        .annotate(n=Count("pk"))
        .order_by("-n", "actor__domain")
    )
    return [dict(row) for row in rows]


def followers(network: Network, *, status: str) -> QuerySet[Follower]:
    return (
        Follower.objects.filter(network=network, status=status)
        .select_related("actor")
        .order_by("-created_at", "pk")
    )


def held_replies(network: Network) -> QuerySet[RemoteReply]:
    return (
        RemoteReply.objects.filter(network=network, status=ReplyStatus.HELD)
        .select_related("actor", "gathering", "post")
        .order_by("received_at", "pk")
    )


def approved_replies(*, gathering: Any = None, post: Any = None) -> QuerySet[RemoteReply]:
    qs = RemoteReply.objects.filter(status=ReplyStatus.APPROVED).select_related("actor")
    if gathering is not None:
        return qs.filter(gathering=gathering)
    return qs.filter(post=post)


def reaction_counts(object_id: str) -> dict[str, int]:
    return dict(
        Reaction.objects.filter(object_id=object_id)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )


def delivery_health(network: Network) -> dict[str, Any]:
    rows = Delivery.objects.filter(network=network)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "pending": counts.get(DeliveryStatus.PENDING, 0),
        "done": counts.get(DeliveryStatus.DONE, 0),
        "failed": counts.get(DeliveryStatus.FAILED, 0),
        "skipped": counts.get(DeliveryStatus.SKIPPED, 0),
        "peers": list(failing_peers(network)),
    }


def blocks(network: Network) -> QuerySet[Block]:
    return Block.objects.filter(network=network)
