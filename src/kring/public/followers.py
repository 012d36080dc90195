"""Following a network by e-mail, without an account: double opt-in, news, one-click leave.

1. ``follow_network`` stores a *pending* follower and sends one mail with a confirmation link.
   Nothing else is ever sent to a pending follower.
2. ``confirm_follower`` (the link, POSTed from a button: mail scanners follow GET links)
   makes the follower active.
3. Active followers get a mail when a public gathering is published (``followers_tick`` finds
   open gatherings of networks with a public page that the follower has not been told about),
   a monthly round-up of public posts and impact, and a host may invite them to an open
   gathering. ``FollowerMail`` (unique on follower + key) is claimed before each send, so no
   mail goes out twice.
4. Every mail carries RFC 8058 ``List-Unsubscribe`` + ``List-Unsubscribe-Post`` headers; the
   unsubscribe URL works with a bare POST (no session, no CSRF token).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.tasks import enqueue_on_commit
from kring.gatherings.models import Gathering
from kring.knowledge.models import Post
from kring.networks.access import require_host
from kring.networks.models import Network
from kring.notify.services import Address, notify

from . import sources
from .models import Follower, FollowerMail

#: A pending follower may ask for the confirmation mail again after this long.
RESEND_AFTER = timedelta(minutes=10)
FOLLOW_SENT = _(
    "Check your inbox: we sent a link to confirm. Nothing else comes before you click it "
    "(if this address already follows the network, nothing changes)."
)
#: Gatherings published longer ago than this are old news for the tick.
NEWS_WINDOW = timedelta(days=14)


def clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Please give a valid e-mail address."), field="email") from exc
    return email


@transaction.atomic
def follow_network(*, network: Network, email: str, language: str = "") -> Follower:
    """Start (or restart) following. Following twice changes nothing and sends nothing more
    than one confirmation mail per ``RESEND_AFTER``; an active follower gets no mail at all."""
    if not network.public_page_enabled:
        raise NotAllowed(_("This network has no public page to follow."))
    email = clean_email(email)
    follower = Follower.objects.select_for_update().filter(network=network, email=email).first()
    now = timezone.now()
    if follower is not None and follower.is_active:
        return follower
    if follower is None:
        follower = Follower.objects.create(
            network=network,
            email=email,
            token=secrets.token_urlsafe(32),
            language=language[:8],
        )
    elif follower.unsubscribed_at is not None:
        # Following again after leaving: a fresh opt-in with a fresh link.
        follower.unsubscribed_at = None
        follower.confirmed_at = None
        follower.token = secrets.token_urlsafe(32)
        follower.confirmation_sent_at = None
        follower.save()
    if follower.confirmation_sent_at and now - follower.confirmation_sent_at < RESEND_AFTER:
        return follower
    Follower.objects.filter(pk=follower.pk).update(confirmation_sent_at=now)
    enqueue_on_commit(send_follower_confirmation, follower.pk, uuid.uuid4().hex)
    audit.record(verb="public.follow_requested", network=network, obj=follower)
    return follower


def follower_by_token(token: str) -> Follower | None:
    if not token or len(token) > 64:
        return None
    return Follower.objects.select_related("network").filter(token=token).first()


@transaction.atomic
def confirm_follower(*, follower: Follower) -> Follower:
    if follower.unsubscribed_at is not None:
        raise Conflict(_("You stopped following this network. Follow it again to restart."))
    if follower.confirmed_at is None:
        Follower.objects.filter(pk=follower.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        follower.refresh_from_db()
        audit.record(verb="public.follow_confirmed", network=follower.network, obj=follower)
    return follower


@transaction.atomic
def unfollow(*, follower: Follower) -> Follower:
    if follower.unsubscribed_at is None:
        Follower.objects.filter(pk=follower.pk).update(unsubscribed_at=timezone.now())
        follower.refresh_from_db()
        audit.record(verb="public.unfollowed", network=follower.network, obj=follower)
    return follower


def active_followers(network: Network) -> Any:
    return Follower.objects.filter(
        network=network, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


def follower_counts(network: Network) -> dict[str, int]:
    qs = Follower.objects.filter(network=network)
    return {
        "active": active_followers(network).count(),
        "pending": qs.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True).count(),
        "left": qs.filter(unsubscribed_at__isnull=False).count(),
    }


# --- Mail -----------------------------------------------------------------------------------


def _url(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def unsubscribe_headers(follower: Follower) -> dict[str, str]:
    url = _url("public:unfollow", token=follower.token)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send(follower: Follower, template: str, context: dict[str, Any], *, key: str) -> None:
    """Through the notification layer (kind ``follower``: no account, so no preferences —
    the follower's own one-click unfollow link is the choice)."""
    notify(
        kind="follower",
        recipient=Address(
            follower.email,
            language=follower.language or follower.network.language or settings.LANGUAGE_CODE,
        ),
        network=follower.network,
        idempotency_key=f"follower:{follower.pk}:{key}",
        template=template,
        context={
            "network": follower.network,
            "follower": follower,
            "unsubscribe_url": _url("public:unfollow", token=follower.token),
            "page_url": _url("public:network", slug=follower.network.slug),
            **context,
        },
        headers=unsubscribe_headers(follower),
    )


@task
def send_follower_confirmation(follower_id: int, event: str = "") -> bool:
    follower = Follower.objects.select_related("network").filter(pk=follower_id).first()
    if follower is None or follower.confirmed_at or follower.unsubscribed_at:
        return False
    _send(
        follower,
        "public/email/follow_confirm",
        {"confirm_url": _url("public:follow_confirm", token=follower.token)},
        key=f"confirm:{event}",
    )
    return True


def _claim(follower: Follower, key: str) -> bool:
    try:
        with transaction.atomic():
            FollowerMail.objects.create(follower=follower, key=key)
    except IntegrityError:
        return False
    return True


def gathering_news(follower: Follower, gathering: Any, *, invited: bool) -> bool:
    """Tell an active follower about an open gathering, once per gathering."""
    if not follower.is_active or not _claim(follower, f"gathering:{gathering.pk}"):
        return False
    try:
        _send(
            follower,
            "public/email/follow_gathering",
            {
                "gathering": gathering,
                "invited": invited,
                "signup_url": settings.SITE_URL
                + (sources.guest_signup_url(follower.network, gathering) or ""),
            },
            key=f"gathering:{gathering.pk}",
        )
    except Exception:
        FollowerMail.objects.filter(follower=follower, key=f"gathering:{gathering.pk}").delete()
        raise
    return True


@task
def send_gathering_news(gathering_id: int, invited: bool = False) -> int:
    g = Gathering.objects.select_related("network").filter(pk=gathering_id).first()
    if g is None or not g.open_to_guests or g.is_cancelled or g.is_past:
        return 0
    sent = 0
    for follower in active_followers(g.network).select_related("network"):
        sent += gathering_news(follower, g, invited=invited)
    return sent


@transaction.atomic
def invite_followers(*, actor: Any, gathering: Any) -> int:
    """A host invites the network's followers to an open gathering; returns how many will be
    told (those already told about this gathering are skipped)."""
    require_host(actor, gathering.network)
    if not gathering.open_to_guests:
        raise Conflict(_("Only a gathering open to guests can be shared with followers."))
    if gathering.is_cancelled or gathering.is_past:
        raise Conflict(_("This gathering is over or cancelled."))
    told = FollowerMail.objects.filter(key=f"gathering:{gathering.pk}").values("follower_id")
    count = active_followers(gathering.network).exclude(pk__in=told).count()
    enqueue_on_commit(send_gathering_news, gathering.pk, True)
    audit.record(
        verb="public.followers_invited",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        count=count,
    )
    return count


def month_key(moment: datetime, network: Network) -> str:
    local = timezone.localtime(moment, network.tzinfo)
    return f"roundup:{local.year}-{local.month:02d}"


def roundup_context(network: Network, *, since: datetime) -> dict[str, Any]:
    posts = list(
        Post.objects.filter(network=network, created_at__gte=since).public().order_by("-pk")[:10]
    )
    return {
        "posts": posts,
        "impact": sources.public_impact(network),
        "gatherings": sources.upcoming_open_gatherings(network)[:5],
    }


@task
def send_roundup(follower_id: int, key: str) -> bool:
    follower = Follower.objects.select_related("network").filter(pk=follower_id).first()
    if follower is None or not follower.is_active or not _claim(follower, key):
        return False
    network = follower.network
    since = timezone.now() - timedelta(days=31)
    try:
        with translation.override(follower.language or network.language):
            _send(
                follower,
                "public/email/follow_roundup",
                roundup_context(network, since=since),
                key=key,
            )
    except Exception:
        FollowerMail.objects.filter(follower=follower, key=key).delete()
        raise
    return True


def followers_tick(now: datetime) -> int:
    """News of open gatherings published in the last two weeks, and from the first of each
    month the round-up. Idempotent: each mail is claimed once per follower."""
    count = 0
    networks = Network.objects.filter(public_page_enabled=True, followers__isnull=False).distinct()
    for network in networks:
        followers = list(active_followers(network))
        if not followers:
            continue
        fresh = Gathering.objects.active().filter(
            network=network,
            open_to_guests=True,
            starts_at__gt=now,
            created_at__gte=now - NEWS_WINDOW,
        )
        for g in fresh:
            told = set(
                FollowerMail.objects.filter(key=f"gathering:{g.pk}").values_list(
                    "follower_id", flat=True
                )
            )
            due = [f for f in followers if f.pk not in told]
            if due:
                enqueue_on_commit(send_gathering_news, g.pk)
                count += len(due)
        key = month_key(now, network)
        sent = set(FollowerMail.objects.filter(key=key).values_list("follower_id", flat=True))
        for f in followers:
            if f.pk not in sent and f.confirmed_at < now - timedelta(days=7):
                enqueue_on_commit(send_roundup, f.pk, key)
                count += 1
    return count
