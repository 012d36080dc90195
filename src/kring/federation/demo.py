"""Demo fediverse: the demo network is on the fediverse, with two followers (a Mastodon
account and a Mobilizon group), a follower waiting for approval and a reply held for a host."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kring.gatherings.models import Gathering
from kring.knowledge.models import Post

from . import documents, publishing, signatures
from .models import (
    FederatedNetwork,
    Follower,
    FollowerStatus,
    OutboxActivity,
    RemoteActor,
    RemoteReply,
    ReplyStatus,
)

ACTORS = [
    (
        "https://mastodon.example/users/jan",
        "jan",
        "Jan de Vries",
        "Person",
        FollowerStatus.ACCEPTED,
    ),
    (
        "https://mobilizon.example/@utrecht",
        "utrecht",
        "Utrecht onderneemt",
        "Group",
        FollowerStatus.ACCEPTED,
    ),
    ("https://social.example/users/noor", "noor", "Noor", "Person", FollowerStatus.PENDING),
]


def seed(ctx: Any) -> None:
    network = ctx.network
    if FederatedNetwork.objects.filter(network=network).exists():
        return
    if not network.public_page_enabled:
        return
    private, public = signatures.generate_key_pair()
    FederatedNetwork.objects.create(
        network=network,
        enabled=True,
        approve_followers=False,
        private_key_pem=private,
        public_key_pem=public,
        key_rotated_at=ctx.now,
    )
    actors = {}
    for ap_id, username, name, kind, status in ACTORS:
        domain = ap_id.split("/")[2]
        actor, _created = RemoteActor.objects.get_or_create(
            ap_id=ap_id,
            defaults={
                "domain": domain,
                "kind": kind,
                "username": username,
                "name": name,
                "url": ap_id,
                "inbox": f"{ap_id}/inbox",
                "shared_inbox": f"https://{domain}/inbox",
            },
        )
        actors[username] = actor
        Follower.objects.create(
            network=network,
            actor=actor,
            status=status,
            follow_id=f"{ap_id}/follows/{network.slug}",
            created_at=ctx.now - timedelta(days=3),
        )
    _fill_outbox(network, ctx)
    gathering = (
        Gathering.objects.filter(network=network, open_to_guests=True, ends_at__gte=ctx.now)
        .order_by("starts_at")
        .first()
    )
    post = Post.objects.filter(network=network).public().order_by("-created_at").first()
    subject_url = (
        documents.event_id(gathering) if gathering else documents.article_id(post) if post else ""
    )
    if not subject_url:
        return
    RemoteReply.objects.create(
        network=network,
        actor=actors["jan"],
        ap_id="https://mastodon.example/users/jan/statuses/1",
        url="https://mastodon.example/@jan/1",
        in_reply_to=subject_url,
        gathering=gathering,
        post=None if gathering else post,
        content="<p>Mooi initiatief! Mag ik als starter ook een keer aanschuiven?</p>",
        status=ReplyStatus.HELD,
        published_at=timezone.now() - timedelta(hours=5),
    )


def _fill_outbox(network: Any, ctx: Any) -> None:
    """What the network "sent" before the demo starts: its public posts and open gatherings
    (outbox rows only; nothing is delivered to the made-up instances)."""
    posts = Post.objects.filter(network=network).public().order_by("created_at")[:10]
    gatherings = Gathering.objects.filter(
        network=network, open_to_guests=True, ends_at__gte=ctx.now
    ).order_by("starts_at")[:5]
    docs = [documents.article(p) for p in posts]
    docs += [publishing.event_document(g) for g in gatherings]
    for i, doc in enumerate(docs):
        OutboxActivity.objects.create(
            network=network,
            kind="Create",
            object_id=doc["id"],
            activity=documents.wrap(network, "Create", doc, f"demo{i}"),
        )
