"""The JSON-LD documents Kring publishes: the Group actor, Events, Articles, Notes, collections.

Property names follow ActivityStreams 2.0 plus the extensions Mastodon and Mobilizon read
(``manuallyApprovesFollowers``, ``discoverable``; ``joinMode``, ``timezone``, ``isOnline``,
``participantCount``, schema.org capacities and ``PostalAddress``); see docs/federation.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kring.core.markdown import render_markdown
from kring.networks.models import Network

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
CONTEXT: list[Any] = [
    AS_CONTEXT,
    SECURITY_CONTEXT,
    {
        "sc": "http://schema.org#",
        "mz": "https://joinmobilizon.org/ns#",
        "toot": "http://joinmastodon.org/ns#",
        "ical": "http://www.w3.org/2002/12/cal/ical#",
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "discoverable": "toot:discoverable",
        "PostalAddress": "sc:PostalAddress",
        "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
        "streetAddress": "sc:streetAddress",
        "addressLocality": "sc:addressLocality",
        "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
        "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
        "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
        "participantCount": {"@id": "mz:participantCount", "@type": "sc:Integer"},
        "isOnline": {"@id": "mz:isOnline", "@type": "sc:Boolean"},
        "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
        "anonymousParticipationEnabled": {
            "@id": "mz:anonymousParticipationEnabled",
            "@type": "sc:Boolean",
        },
        "status": {"@id": "ical:status", "@type": "ical:status"},
    },
]


# --- Addresses ------------------------------------------------------------------------------


def site() -> str:
    return settings.SITE_URL.rstrip("/")


def site_host() -> str:
    return urlsplit(site()).netloc


def absolute(path: str) -> str:
    return site() + path


def handle(network: Network) -> str:
    return f"@{network.slug}@{site_host()}"


def actor_id(network: Network) -> str:
    return absolute(reverse("federation:actor", kwargs={"slug": network.slug}))


def key_id(network: Network) -> str:
    return actor_id(network) + "#main-key"


def inbox_url(network: Network) -> str:
    return absolute(reverse("federation:inbox", kwargs={"slug": network.slug}))


def outbox_url(network: Network) -> str:
    return absolute(reverse("federation:outbox", kwargs={"slug": network.slug}))


def followers_url(network: Network) -> str:
    return absolute(reverse("federation:followers", kwargs={"slug": network.slug}))


def shared_inbox_url() -> str:
    return absolute(reverse("federation:shared_inbox"))


def event_id(gathering: Any) -> str:
    return absolute(
        reverse("federation:event", kwargs={"slug": gathering.network.slug, "pk": gathering.pk})
    )


def article_id(post: Any) -> str:
    return article_id_for(post.network, post.pk)


def article_id_for(network: Network, post_id: int) -> str:
    return absolute(reverse("federation:article", kwargs={"slug": network.slug, "pk": post_id}))


def milestone_id(objective: Any, percent: int) -> str:
    return absolute(
        reverse(
            "federation:milestone",
            kwargs={"slug": objective.network.slug, "pk": objective.pk, "percent": percent},
        )
    )


def activity_id(network: Network, kind: str, token: str) -> str:
    return f"{actor_id(network)}/activities/{kind.lower()}-{token}"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _public_page(network: Network) -> str:
    return absolute(reverse("public:network", kwargs={"slug": network.slug}))


def _image(network: Network, kind: str) -> dict[str, Any]:
    path = reverse("federation:image", kwargs={"slug": network.slug, "kind": kind})
    return {"type": "Image", "mediaType": "image/png", "url": absolute(path)}


# --- Documents ------------------------------------------------------------------------------


def actor(network: Network, public_key_pem: str, *, approve_followers: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": actor_id(network),
        "type": "Group",
        "preferredUsername": network.slug,
        "name": network.name,
        "summary": render_markdown(network.purpose),
        "url": _public_page(network),
        "inbox": inbox_url(network),
        "outbox": outbox_url(network),
        "followers": followers_url(network),
        "endpoints": {"sharedInbox": shared_inbox_url()},
        "manuallyApprovesFollowers": approve_followers,
        "discoverable": True,
        "published": iso(network.created_at),
        "publicKey": {
            "id": key_id(network),
            "owner": actor_id(network),
            "publicKeyPem": public_key_pem,
        },
        "icon": _image(network, "icon"),
        "image": _image(network, "header"),
    }
    if network.city:
        doc["location"] = {"type": "Place", "name": network.city}
    return doc


def event(gathering: Any, *, participant_count: int) -> dict[str, Any]:
    network = gathering.network
    capacity = gathering.capacity
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": event_id(gathering),
        "type": "Event",
        "attributedTo": actor_id(network),
        "to": [AS_PUBLIC],
        "cc": [followers_url(network)],
        "name": gathering.title,
        "content": render_markdown(gathering.description),
        "mediaType": "text/html",
        "startTime": gathering.local_start.isoformat(),
        "endTime": gathering.local_end.isoformat(),
        "timezone": network.time_zone,
        "published": iso(gathering.created_at),
        "updated": iso(gathering.updated_at),
        "url": _public_page(network) + f"#gathering-{gathering.pk}",
        "joinMode": "free" if gathering.open_to_guests else "invite",
        "anonymousParticipationEnabled": False,
        "participantCount": participant_count,
        "maximumAttendeeCapacity": capacity,
        "remainingAttendeeCapacity": gathering.seats_left,
        "isOnline": bool(gathering.online_url) and not gathering.venue_address,
        "status": "CANCELLED" if gathering.is_cancelled else "CONFIRMED",
    }
    if gathering.venue_name or gathering.venue_address:
        doc["location"] = {
            "type": "Place",
            "name": gathering.venue_name or gathering.venue_address,
            "address": {
                "type": "PostalAddress",
                "streetAddress": gathering.venue_address,
                "addressLocality": network.city,
            },
        }
    return doc


def article(post: Any) -> dict[str, Any]:
    network = post.network
    return {
        "@context": CONTEXT,
        "id": article_id(post),
        "type": "Article",
        "attributedTo": actor_id(network),
        "to": [AS_PUBLIC],
        "cc": [followers_url(network)],
        "name": post.title,
        "summary": post.summary or None,
        "content": render_markdown(post.body),
        "mediaType": "text/html",
        "published": iso(post.created_at),
        "updated": iso(post.updated_at),
        "url": absolute(reverse("public:post", kwargs={"slug": network.slug, "pk": post.pk})),
    }


def milestone(objective: Any, percent: int, text: str, published: datetime) -> dict[str, Any]:
    network = objective.network
    return {
        "@context": CONTEXT,
        "id": milestone_id(objective, percent),
        "type": "Note",
        "attributedTo": actor_id(network),
        "to": [AS_PUBLIC],
        "cc": [followers_url(network)],
        "content": f"<p>{text}</p>",
        "published": iso(published),
        "url": _public_page(network),
    }


def tombstone(object_id: str) -> dict[str, Any]:
    return {"id": object_id, "type": "Tombstone"}


def wrap(network: Network, kind: str, obj: dict[str, Any], token: str) -> dict[str, Any]:
    """A Create/Update/Delete of ``obj`` by the network, addressed to the public and followers."""
    inner = {k: v for k, v in obj.items() if k != "@context"}
    return {
        "@context": CONTEXT,
        "id": activity_id(network, kind, token),
        "type": kind,
        "actor": actor_id(network),
        "to": [AS_PUBLIC],
        "cc": [followers_url(network)],
        "published": iso(timezone.now()),
        "object": inner,
    }


def response_to(
    network: Network, kind: str, activity: dict[str, Any], token: str
) -> dict[str, Any]:
    """An Accept or Reject of a received Follow/Join, addressed to its actor."""
    return {
        "@context": CONTEXT,
        "id": activity_id(network, kind, token),
        "type": kind,
        "actor": actor_id(network),
        "to": [activity.get("actor")],
        "object": {k: activity[k] for k in ("id", "type", "actor", "object") if k in activity},
    }


def webfinger(network: Network) -> dict[str, Any]:
    return {
        "subject": f"acct:{network.slug}@{site_host()}",
        "aliases": [actor_id(network), _public_page(network)],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor_id(network)},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": _public_page(network),
            },
        ],
    }
