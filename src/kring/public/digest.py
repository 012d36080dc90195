"""The weekly digest: one e-mail per member per network per ISO week, never two.

``digest_tick(now)`` (run by ``kring tick`` every minute) enqueues a task for each member who
wants the digest and has none for this week yet, from Monday 08:00 in the network's time zone.
The task *claims* the week first — a row unique on (member, network, ISO week) — and only the
one that inserted the row sends; a doubled scheduler or a repeated task finds the row and stops.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.core.tasks import enqueue_on_commit
from kring.gatherings import selectors as gatherings_selectors
from kring.gatherings.models import ActionItem, ActionStatus
from kring.introductions import selectors as introductions_selectors
from kring.knowledge.models import Post
from kring.networks.models import Membership, MembershipStatus, Network
from kring.notify import services as notify_services
from kring.notify.models import Preference
from kring.notify.services import notify
from kring.people.models import User
from kring.results.models import HelpRequest, Referral, ReferralStatus, RequestStatus

from . import sources
from .models import DigestSend

logger = logging.getLogger(__name__)
SEND_FROM_HOUR = 8


def iso_week(moment: datetime, network: Network) -> str:
    local = timezone.localtime(moment, network.tzinfo)
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def is_due(moment: datetime, network: Network) -> bool:
    """From Monday 08:00 local time on, the week's digest is due (until it is sent)."""
    local = timezone.localtime(moment, network.tzinfo)
    return local.weekday() > 0 or local.hour >= SEND_FROM_HOUR


def digest_tick(now: datetime) -> int:
    """Enqueue the due digests; returns how many were enqueued. Idempotent."""
    count = 0
    for network in Network.objects.all().only("pk", "time_zone"):
        if not is_due(now, network):
            continue
        week = iso_week(now, network)
        done = DigestSend.objects.filter(network=network, week=week).values("user_id")
        opted_out = Preference.objects.filter(kind="digest", channel="email", mode="off").values(
            "user_id"
        )
        user_ids = list(
            Membership.objects.filter(
                network=network, status=MembershipStatus.ACTIVE, user__is_active=True
            )
            .exclude(user_id__in=done)
            .exclude(user_id__in=opted_out)
            .values_list("user_id", flat=True)
        )
        for user_id in user_ids:
            with transaction.atomic():
                enqueue_on_commit(send_digest, user_id, network.pk, week)
            count += 1
    return count


@task()
def send_digest(user_id: int, network_id: int, week: str) -> bool:
    return deliver_digest(user_id=user_id, network_id=network_id, week=week)


def deliver_digest(*, user_id: int, network_id: int, week: str) -> bool:
    """Claim the week, then send. Returns ``False`` when someone else already claimed it."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    network = Network.objects.filter(pk=network_id).first()
    if user is None or network is None:
        return False
    if Preference.objects.filter(user=user, kind="digest", channel="email", mode="off").exists():
        return False
    try:
        with transaction.atomic():
            claim = DigestSend.objects.create(
                user=user, network=network, week=week, claimed_at=timezone.now()
            )
    except IntegrityError:
        return False  # already claimed: another scheduler run or a repeated task
    try:
        context = digest_context(user=user, network=network)
        token = notify_services.make_unsubscribe_token(user, "digest")
        notify(
            kind="digest",
            recipient=user,
            network=network,
            idempotency_key=f"digest:{network.pk}:{week}",
            template="public/email/digest",
            url=reverse("net:home", kwargs={"slug": network.slug}),
            context={
                **context,
                "user": user,
                "network": network,
                "week": week,
                "unsubscribe_url": notify_services.absolute(
                    reverse("notify:unsubscribe", args=[token])
                ),
                "settings_url": notify_services.absolute(reverse("notify:preferences")),
            },
        )
    except Exception:
        claim.delete()  # let the next tick try again rather than silently skipping the week
        raise
    DigestSend.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True


def _next_gathering(network: Network, user: User) -> dict[str, Any] | None:
    g = gatherings_selectors.next_gathering_for(network, user)
    if g is None:
        return None
    return {
        "title": g.title,
        "starts_at": g.starts_at,
        "has_read": bool(getattr(g, "has_read", False)),  # annotated by the selector
        "url": sources.gathering_url(network, g),
    }


def _open_actions(network: Network, user: User) -> list[dict[str, Any]]:
    rows = ActionItem.objects.filter(
        network=network, owner=user, status=ActionStatus.OPEN
    ).order_by("due_date", "pk")[:10]
    return [{"title": a.title, "due_date": a.due_date} for a in rows]


def _introduction(network: Network, user: User) -> dict[str, Any] | None:
    intro = introductions_selectors.current_introduction(network, user)
    if intro is None:
        return None
    names = [p.name for p in intro.participants.all() if p.user_id != user.pk]
    return {"names": names, "when": intro.proposed_when, "where": intro.proposed_where}


def _matching_requests(network: Network, user: User) -> list[dict[str, Any]]:
    """Open requests for help whose topics meet the member's talents or offers."""
    profile = user.profile
    mine = {t.casefold() for t in (*profile.talent_tags, *profile.offer_tags)}
    if not mine:
        return []
    out = []
    for r in HelpRequest.objects.filter(network=network, status=RequestStatus.OPEN, declined=False)[
        :200
    ]:
        topics = {str(t).casefold() for t in (r.tags or [])}
        if topics & mine:
            need = " ".join(r.need.split())
            out.append(
                {
                    "title": need[:140] + ("…" if len(need) > 140 else ""),
                    "topics": sorted(topics & mine),
                }
            )
    return out[:5]


def _new_posts(network: Network, since: datetime) -> list[dict[str, Any]]:
    rows = (
        Post.objects.for_network(network)
        .filter(created_at__gte=since)
        .select_related("author__profile")
        .order_by("-created_at")[:8]
    )
    return [
        {
            "title": p.title,
            "excerpt": p.excerpt,
            "url": reverse("knowledge:detail", kwargs={"slug": network.slug, "pk": p.pk}),
        }
        for p in rows
    ]


def _open_referrals(network: Network, user: Any) -> list[dict[str, Any]]:
    """Leads passed to this member that they have not answered yet (stay until answered)."""
    rows = (
        Referral.objects.filter(network=network, to_user=user, status=ReferralStatus.PASSED)
        .select_related("from_user__profile")
        .order_by("created_at", "pk")[:10]
    )
    url = reverse("results:referrals", kwargs={"slug": network.slug})
    return [{"lead": r.lead, "from": r.from_user.display_name, "url": url} for r in rows]


def digest_context(*, user: Any, network: Network, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "next_gathering": _next_gathering(network, user),
        "actions": _open_actions(network, user),
        "introduction": _introduction(network, user),
        "requests": _matching_requests(network, user),
        "posts": _new_posts(network, now - timedelta(days=7)),
        "referrals": _open_referrals(network, user),
        "tz": network.time_zone,
    }
