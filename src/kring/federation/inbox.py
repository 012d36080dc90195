"""What a network accepts from the fediverse, after the request's signature was checked.

Follow / Undo Follow; replies (Create Note in reply to one of ours), held for a host; Like and
Announce, counted; Mobilizon's Join / Leave on an open gathering, which become guest sign-ups
under the gatherings' own capacity and waitlist rules; Delete of a remote actor (their content
goes) or of a reply. Anything else is acknowledged and ignored. Every activity id is stored:
a replay is recognised and ignored.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nh3
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kring.core.errors import DomainError
from kring.gatherings import services as gathering_services
from kring.gatherings.models import Gathering, Rsvp, RsvpStatus
from kring.knowledge.models import Post
from kring.networks.models import Network

from . import delivery, documents, publishing
from .models import (
    Follower,
    FollowerStatus,
    Participation,
    Reaction,
    ReactionKind,
    ReceivedActivity,
    RemoteActor,
    RemoteReply,
)
from .policy import blocked, domain_of, federated
from .remote import store_actor

logger = logging.getLogger("kring.federation")

MAX_CONTENT = 20_000
REPLY_TAGS = {
    "p",
    "br",
    "a",
    "span",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}
_OURS = re.compile(r"^/ap/n/(?P<slug>[a-z0-9][a-z0-9-]*)(?P<rest>/.*)?$")
_EVENT = re.compile(r"^/events/(?P<pk>\d+)$")
_ARTICLE = re.compile(r"^/posts/(?P<pk>\d+)$")


@dataclass(frozen=True)
class Outcome:
    status: int
    detail: str


ACCEPTED = Outcome(202, "accepted")


def ignored(reason: str) -> Outcome:
    return Outcome(202, f"ignored: {reason}")


# --- Reading activities ---------------------------------------------------------------------


def ref(value: Any) -> str:
    """The id of an object given inline or by reference."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def ours(url: str) -> tuple[str, str] | None:
    """(slug, rest) when ``url`` names something of ours, like ``/events/3``."""
    site = documents.site()
    if not url.startswith(site + "/"):
        return None
    match = _OURS.match(url[len(site) :].split("#", 1)[0])
    if match is None:
        return None
    return match.group("slug"), match.group("rest") or ""


def network_of(activity: dict[str, Any]) -> Network | None:
    """For the shared inbox: the network the activity is about (its object or target)."""
    obj = activity.get("object")
    candidates = [ref(obj)]
    if isinstance(obj, dict):
        candidates += [ref(obj.get("object")), ref(obj.get("inReplyTo"))]
    for candidate in candidates:
        found = ours(candidate) if candidate else None
        if found:
            return Network.objects.filter(slug=found[0]).first()
    return None


def subject_of(network: Network, url: str) -> Gathering | Post | None:
    found = ours(url)
    if found is None or found[0] != network.slug:
        return None
    if match := _EVENT.match(found[1]):
        return Gathering.objects.filter(network=network, pk=int(match["pk"])).first()
    if match := _ARTICLE.match(found[1]):
        return Post.objects.filter(network=network, pk=int(match["pk"])).first()
    return None


def clean_html(html: str) -> str:
    return nh3.clean(
        html[:MAX_CONTENT],
        tags=REPLY_TAGS,
        attributes={"a": {"href"}, "span": set()},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer ugc",
    )


def _when(value: Any) -> datetime:
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well-formed but impossible, e.g. month 13
        parsed = None
    if parsed is None or timezone.is_naive(parsed):
        return timezone.now()
    return min(parsed, timezone.now())


# --- Handling -------------------------------------------------------------------------------


def handle(*, network: Network | None, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    """Process one verified activity from ``actor`` (addressed to ``network``'s inbox, or to the
    shared inbox when ``network`` is None)."""
    kind = activity.get("type")
    activity_id = ref(activity)
    if not isinstance(kind, str) or not activity_id:
        return Outcome(400, "an activity needs an id and a type")
    if ref(activity.get("actor")) != actor.ap_id:
        return Outcome(401, "the activity's actor did not sign it")
    if network is None:
        network = network_of(activity)
    if network is None:
        if kind == "Delete" and ref(activity.get("object")) == actor.ap_id:
            return _remember_then(activity, actor, lambda: _actor_deleted(actor))
        return ignored("not about anything of ours")
    if federated(network) is None:
        return Outcome(404, "this network is not on the fediverse")
    if blocked(network, actor.ap_id):
        return ignored("blocked")
    handler = HANDLERS.get(kind)
    if handler is None:
        return _remember_then(activity, actor, lambda: ignored(f"{kind} is not handled"))
    return _remember_then(activity, actor, lambda: handler(network, actor, activity))


def _remember_then(activity: dict[str, Any], actor: RemoteActor, fn: Any) -> Outcome:
    try:
        with transaction.atomic():
            ReceivedActivity.objects.create(
                ap_id=ref(activity)[:500], actor_id=actor.ap_id, kind=str(activity["type"])[:40]
            )
            return fn()
    except IntegrityError:
        return ignored("already received")


def _follow(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    if ref(activity.get("object")) != documents.actor_id(network):
        return ignored("a follow of someone else")
    fed = federated(network)
    assert fed is not None
    status = FollowerStatus.PENDING if fed.approve_followers else FollowerStatus.ACCEPTED
    follower, created = Follower.objects.get_or_create(
        network=network,
        actor=actor,
        defaults={"status": status, "follow_id": ref(activity)[:500]},
    )
    if not created:
        follower.follow_id = ref(activity)[:500]
        follower.save(update_fields=["follow_id"])
    if follower.status == FollowerStatus.ACCEPTED:
        answer_follow(network, follower, accept=True)
    return ACCEPTED


def answer_follow(network: Network, follower: Follower, *, accept: bool) -> None:
    follow = {
        "id": follower.follow_id,
        "type": "Follow",
        "actor": follower.actor.ap_id,
        "object": documents.actor_id(network),
    }
    kind = "Accept" if accept else "Reject"
    doc = documents.response_to(network, kind, follow, secrets.token_hex(8))
    delivery.send(network, doc, [follower.actor.inbox or follower.actor.delivery_inbox])


def _undo(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    obj = activity.get("object")
    inner_type = obj.get("type") if isinstance(obj, dict) else None
    object_id = ref(obj)
    if (
        inner_type == "Follow"
        or Follower.objects.filter(network=network, actor=actor, follow_id=object_id).exists()
    ):
        Follower.objects.filter(network=network, actor=actor).delete()
        return ACCEPTED
    deleted, _rows = Reaction.objects.filter(network=network, actor=actor, ap_id=object_id).delete()
    if not deleted and inner_type in {"Like", "Announce"} and isinstance(obj, dict):
        Reaction.objects.filter(
            network=network,
            actor=actor,
            kind=ReactionKind.LIKE if inner_type == "Like" else ReactionKind.ANNOUNCE,
            object_id=ref(obj.get("object")),
        ).delete()
    return ACCEPTED


def _create(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    obj = activity.get("object")
    if not isinstance(obj, dict) or obj.get("type") not in {"Note", "Article", "Page"}:
        return ignored("only replies are taken")
    note_id = ref(obj)
    if not note_id or domain_of(note_id) != actor.domain:
        return Outcome(400, "the reply's id is not on the actor's domain")
    if ref(obj.get("attributedTo")) not in {"", actor.ap_id}:
        return Outcome(400, "the reply is attributed to someone else")
    subject = subject_of(network, ref(obj.get("inReplyTo")))
    if subject is None:
        return ignored("not a reply to one of ours")
    content = obj.get("content")
    if not isinstance(content, str) or not content.strip():
        return Outcome(400, "the reply has no content")
    url = obj.get("url")
    RemoteReply.objects.get_or_create(
        ap_id=note_id[:500],
        defaults={
            "network": network,
            "actor": actor,
            "url": ref(url)[:500] if ref(url).startswith("http") else "",
            "in_reply_to": ref(obj.get("inReplyTo"))[:500],
            "gathering": subject if isinstance(subject, Gathering) else None,
            "post": subject if isinstance(subject, Post) else None,
            "content": clean_html(content),
            "published_at": _when(obj.get("published")),
        },
    )
    return ACCEPTED


def _update(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    obj = activity.get("object")
    if not isinstance(obj, dict):
        return ignored("nothing to update")
    if ref(obj) == actor.ap_id:
        store_actor(obj)  # the signer's own profile, e.g. a new name
        return ACCEPTED
    content = obj.get("content")
    reply = RemoteReply.objects.filter(ap_id=ref(obj), actor=actor).first()
    if reply is None or not isinstance(content, str):
        return ignored("not a reply we know")
    reply.content = clean_html(content)
    reply.save(update_fields=["content"])
    return ACCEPTED


def _actor_deleted(actor: RemoteActor) -> Outcome:
    for participation in Participation.objects.filter(actor=actor).select_related("rsvp"):
        _leave_gathering(participation)
    RemoteReply.objects.filter(actor=actor).delete()
    Reaction.objects.filter(actor=actor).delete()
    Follower.objects.filter(actor=actor).delete()
    return ACCEPTED


def _delete(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    object_id = ref(activity.get("object"))
    if object_id == actor.ap_id:
        return _actor_deleted(actor)
    RemoteReply.objects.filter(ap_id=object_id, actor=actor).delete()
    return ACCEPTED


def _react(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    object_id = ref(activity.get("object"))
    if ours(object_id) is None:
        return ignored("not about anything of ours")
    kind = ReactionKind.LIKE if activity["type"] == "Like" else ReactionKind.ANNOUNCE
    Reaction.objects.get_or_create(
        actor=actor,
        kind=kind,
        object_id=object_id[:500],
        defaults={"network": network, "ap_id": ref(activity)[:500]},
    )
    return ACCEPTED


def guest_email(actor: RemoteActor) -> str:
    """A stable, undeliverable address (RFC 2606 ``.invalid``) for a fediverse guest."""
    return f"{hashlib.sha256(actor.ap_id.encode()).hexdigest()[:24]}@fediverse.invalid"


def _join(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    subject = subject_of(network, ref(activity.get("object")))
    if not isinstance(subject, Gathering):
        return ignored("not one of our gatherings")
    token = secrets.token_hex(8)
    existing = Participation.objects.filter(actor=actor, gathering=subject).first()
    if existing is not None and existing.rsvp.status in {RsvpStatus.GOING, RsvpStatus.WAITLISTED}:
        return ACCEPTED
    try:
        with transaction.atomic():
            rsvp = gathering_services.register_guest(
                gathering=subject,
                name=f"{actor.display_name} ({actor.handle})"[:120],
                email=guest_email(actor),
                confirmed=True,
            )
    except DomainError as exc:
        reject = documents.response_to(network, "Reject", activity, token)
        delivery.send(network, reject, [actor.inbox or actor.delivery_inbox])
        return Outcome(exc.status if exc.status != 404 else 409, str(exc))
    Participation.objects.update_or_create(
        actor=actor,
        gathering=subject,
        defaults={"network": network, "rsvp": rsvp, "join_id": ref(activity)[:500]},
    )
    if rsvp.status == RsvpStatus.GOING:
        accept = documents.response_to(network, "Accept", activity, token)
        delivery.send(network, accept, [actor.inbox or actor.delivery_inbox])
    publishing.gathering_changed(subject)  # the Event's counts changed
    return ACCEPTED


def _leave_gathering(participation: Participation) -> None:
    rsvp = Rsvp.objects.select_related("gathering").get(pk=participation.rsvp_id)
    gathering_services.cancel_guest(rsvp=rsvp)
    participation.delete()


def _leave(network: Network, actor: RemoteActor, activity: dict[str, Any]) -> Outcome:
    subject = subject_of(network, ref(activity.get("object")))
    if not isinstance(subject, Gathering):
        return ignored("not one of our gatherings")
    participation = Participation.objects.filter(actor=actor, gathering=subject).first()
    if participation is None:
        return ignored("not signed up")
    _leave_gathering(participation)
    publishing.gathering_changed(subject)
    return ACCEPTED


HANDLERS = {
    "Follow": _follow,
    "Undo": _undo,
    "Create": _create,
    "Update": _update,
    "Delete": _delete,
    "Like": _react,
    "Announce": _react,
    "Join": _join,
    "Leave": _leave,
}
