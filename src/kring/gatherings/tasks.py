"""Background e-mail for gatherings and the two scheduled jobs (agenda reminder, overdue)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.networks.models import Membership
from kring.notify.models import Delivery
from kring.notify.services import Address, notify
from kring.people.models import User

from .answer_links import answer_links
from .models import (
    ActionItem,
    ActionStatus,
    AgendaRead,
    AgendaStatus,
    Comment,
    DiscussionOptOut,
    Gathering,
    GatheringStatus,
    Rsvp,
    RsvpStatus,
)
from .tokens import guest_link_token

AGENDA_REMINDER_BEFORE = timedelta(days=2)


def _url(gathering: Gathering) -> str:
    return reverse(
        "gatherings:detail", kwargs={"slug": gathering.network.slug, "gathering_id": gathering.pk}
    )


def _mail_user(user: User, template: str, *, kind: str, key: str, **context: object) -> None:
    gathering = context.get("gathering")
    notify(
        kind=kind,
        recipient=user,
        network=getattr(gathering, "network", None),
        template=f"gatherings/email/{template}",
        context={"user": user, **context},
        url=str(context.get("url", "")),
        idempotency_key=key,
    )


def _mail_guest(
    rsvp: Rsvp, gathering: Gathering, template: str, *, key: str, **context: object
) -> None:
    """A guest has no account: the network's language, always sent (kind ``guest``)."""
    notify(
        kind="guest",
        recipient=Address(rsvp.guest_email, language=gathering.network.language),
        network=gathering.network,
        template=f"gatherings/email/{template}",
        context={"gathering": gathering, "user": None, **context},
        url=str(context.get("url", "")),
        idempotency_key=key,
    )


def _active_user_ids(network_id: int) -> QuerySet[Membership, Any]:
    """Members who get reminders and discussion e-mails: active ones, not paused (or gone)."""
    return Membership.objects.active().filter(network_id=network_id).values("user_id")


def _guest_url(rsvp: Rsvp) -> str:
    """The guest's own page (status, cancel), for e-mails after the sign-up mail."""
    return reverse("gatherings_global:guest_cancel", args=[guest_link_token(rsvp)])


def _gathering(gathering_id: int) -> Gathering | None:
    return Gathering.objects.select_related("network").filter(pk=gathering_id).first()


@task
def send_gathering_cancelled(gathering_id: int) -> None:
    g = _gathering(gathering_id)
    if g is None:
        return
    members = Membership.objects.current().filter(network=g.network).select_related("user")
    key = f"gathering.cancelled:{g.pk}"
    for m in members:
        _mail_user(m.user, "cancelled", kind="gathering_changed", key=key, gathering=g, url=_url(g))
    for guest in Rsvp.objects.filter(
        gathering=g, user__isnull=True, status__in=[RsvpStatus.GOING, RsvpStatus.WAITLISTED]
    ):
        _mail_guest(guest, g, "cancelled", key=key, url="")


@task
def send_series_cancelled(gathering_ids: list[int]) -> None:
    """A series was cancelled: one e-mail per member with every cancelled date, and the
    cancellation e-mail per occurrence to its confirmed guests."""
    cancelled = list(
        Gathering.objects.filter(pk__in=gathering_ids)
        .select_related("network")
        .order_by("starts_at")
    )
    if not cancelled:
        return
    first = cancelled[0]
    members = Membership.objects.current().filter(network=first.network).select_related("user")
    key = "series.cancelled:" + ",".join(str(g.pk) for g in cancelled)
    for m in members:
        _mail_user(
            m.user,
            "series_cancelled",
            kind="gathering_changed",
            key=key,
            gathering=first,
            gatherings=cancelled,
            url=_url(first),
        )
    for guest in Rsvp.objects.filter(
        gathering__in=cancelled,
        user__isnull=True,
        status__in=[RsvpStatus.GOING, RsvpStatus.WAITLISTED],
    ).select_related("gathering__network"):
        g = guest.gathering
        _mail_guest(guest, g, "cancelled", key=f"gathering.cancelled:{g.pk}", url="")


@task
def send_gathering_changed(gathering_id: int) -> None:
    """Time or place changed: tell the members who answered going, maybe or waitlisted, and
    the confirmed guests (with the link to their own page)."""
    g = _gathering(gathering_id)
    if g is None or g.is_cancelled:
        return
    rsvps = Rsvp.objects.filter(
        gathering=g,
        status__in=[RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.WAITLISTED],
    ).select_related("user")
    key = f"gathering.changed:{g.pk}:{g.sequence}"
    for r in rsvps:
        if r.user is not None:
            _mail_user(
                r.user, "changed", kind="gathering_changed", key=key, gathering=g, url=_url(g)
            )
        elif r.guest_email:
            _mail_guest(r, g, "changed", key=key, url=_guest_url(r), guest=True)


@task
def send_agenda_published(gathering_id: int) -> None:
    g = _gathering(gathering_id)
    if g is None or g.is_cancelled:
        return
    key = f"agenda.published:{g.pk}:{g.agenda_published_at}"
    for m in Membership.objects.active().filter(network=g.network).select_related("user"):
        _mail_user(
            m.user, "agenda_published", kind="agenda_published", key=key, gathering=g, url=_url(g)
        )


@task
def send_agenda_reminder(gathering_id: int) -> None:
    """Once: to members going who have not read the agenda. Each recipient once (the delivery
    log's key); the gathering is marked afterwards, so a task that died half-way is finished
    by its retry instead of forgotten."""
    g = _gathering(gathering_id)
    if g is None or g.agenda_reminder_sent_at is not None:
        return
    read = AgendaRead.objects.filter(gathering=g).values("user_id")
    for r in (
        Rsvp.objects.filter(
            gathering=g,
            status__in=[RsvpStatus.GOING, RsvpStatus.ONLINE],
            user_id__in=_active_user_ids(g.network_id),
        )
        .exclude(user_id__in=read)
        .select_related("user")
    ):
        assert r.user is not None  # filtered on user_id above
        _mail_user(
            r.user,
            "agenda_reminder",
            kind="gathering_reminder",
            key=f"agenda.reminder:{g.pk}",
            gathering=g,
            url=_url(g),
            online=r.status == RsvpStatus.ONLINE,
        )
    Gathering.objects.filter(pk=g.pk, agenda_reminder_sent_at__isnull=True).update(
        agenda_reminder_sent_at=timezone.now()
    )


@task
def send_promoted(rsvp_id: int) -> None:
    r = Rsvp.objects.select_related("gathering__network", "user").filter(pk=rsvp_id).first()
    if r is None or r.status != RsvpStatus.GOING:
        return
    key = f"rsvp.promoted:{r.pk}:{r.answered_at.isoformat()}"
    if r.user is not None:
        _mail_user(
            r.user,
            "promoted",
            kind="waitlist",
            key=key,
            gathering=r.gathering,
            url=_url(r.gathering),
        )
    else:
        _mail_guest(r, r.gathering, "promoted", key=key, url=_guest_url(r), guest=True)


@task
def send_guest_confirmation(rsvp_id: int, raw_token: str) -> None:
    r = Rsvp.objects.select_related("gathering__network").filter(pk=rsvp_id).first()
    if r is None:
        return
    _mail_guest(
        r,
        r.gathering,
        "guest_confirm",
        key=f"guest.confirm:{r.pk}:{hashlib.sha256(raw_token.encode()).hexdigest()[:16]}",
        name=r.guest_name,
        confirm_url=reverse("gatherings_global:guest_confirm", args=[raw_token]),
        cancel_url=reverse("gatherings_global:guest_cancel", args=[raw_token]),
        r_online=r.joins_online,
    )


@task
def send_comment_notification(comment_id: int) -> None:
    """To participants (going, maybe, waitlisted, earlier commenters) who have not opted out."""
    c = (
        Comment.objects.select_related("gathering__network", "author__profile")
        .filter(pk=comment_id)
        .first()
    )
    if c is None:
        return
    g = c.gathering
    ids = set(
        Rsvp.objects.filter(
            gathering=g,
            user__isnull=False,
            status__in=[
                RsvpStatus.GOING,
                RsvpStatus.MAYBE,
                RsvpStatus.WAITLISTED,
            ],
        ).values_list("user_id", flat=True)
    ) | set(Comment.objects.filter(gathering=g).values_list("author_id", flat=True))
    ids.discard(c.author_id)
    ids -= set(DiscussionOptOut.objects.filter(network=g.network).values_list("user_id", flat=True))
    current = Membership.objects.active().filter(network=g.network, user_id__in=ids)
    for m in current.select_related("user"):
        _mail_user(
            m.user,
            "comment",
            kind="discussion",
            key=f"comment:{c.pk}",
            gathering=g,
            comment=c,
            url=_url(g),
        )


@task
def send_action_overdue(action_id: int) -> None:
    item = (
        ActionItem.objects.select_related("owner", "gathering__network")
        .filter(pk=action_id)
        .first()
    )
    if item is None or item.status != ActionStatus.OPEN:
        return
    if not Membership.objects.active().filter(network_id=item.network_id, user=item.owner).exists():
        return  # paused (or left) since the job ran
    _mail_user(
        item.owner,
        "action_overdue",
        kind="action_overdue",
        key=f"action.overdue:{item.pk}:{item.due_date}",
        item=item,
        gathering=item.gathering,
        url=_url(item.gathering),
    )


# --- Scheduled jobs (registered in apps.py) -------------------------------------------------


def agenda_reminders_due(now: datetime) -> int:
    """Gatherings starting within two days, agenda published, reminder not yet sent."""
    due = list(
        Gathering.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + AGENDA_REMINDER_BEFORE,
            agenda_status=AgendaStatus.PUBLISHED,
            agenda_reminder_sent_at__isnull=True,
        )
        .exclude(status=GatheringStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    for pk in due:
        send_agenda_reminder.enqueue(pk)
    return len(due)


def overdue_actions_due(now: datetime) -> int:
    """Open action items past their due date: remind the owner once. Owners whose membership
    is paused are skipped (not marked), so they are reminded once they are active again."""
    today = timezone.localdate(now)
    owner_active = Membership.objects.active().filter(
        network_id=OuterRef("network_id"), user_id=OuterRef("owner_id")
    )
    ids = list(
        ActionItem.objects.filter(
            status=ActionStatus.OPEN, due_date__lt=today, overdue_reminded_at__isnull=True
        )
        .filter(Exists(owner_active))
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        if (
            ActionItem.objects.filter(pk=pk, overdue_reminded_at__isnull=True)
            .filter(Q(status=ActionStatus.OPEN))
            .update(overdue_reminded_at=now)
        ):
            send_action_overdue.enqueue(pk)
            sent += 1
    return sent


# --- Announcements and the day-before reminder (issue 12) ----------------------------------


@task
def send_gathering_announced(gathering_id: int, actor_id: int | None = None) -> int:
    """A new gathering reaches every active member (not its creator): title, time, place,
    agenda status and one-click answers (signed links; GET confirms, POST answers)."""
    g = _gathering(gathering_id)
    if g is None or g.is_cancelled or g.is_past:
        return 0
    members = (
        Membership.objects.active()
        .filter(network=g.network)
        .exclude(user_id=actor_id or 0)  # no creator (a demo or a command): nobody left out
        .select_related("user__profile")
    )
    count = 0
    for m in members:
        _mail_user(
            m.user,
            "announced",
            kind="gathering_announced",
            key=f"gathering.announced:{g.pk}",
            gathering=g,
            url=_url(g),
            links=answer_links(m.user, g),
            agenda_published=g.agenda_status == AgendaStatus.PUBLISHED,
        )
        count += 1
    return count


def _day_before_key(gathering_id: int, starts_at: datetime) -> str:
    return f"gathering.day_before:{gathering_id}:{starts_at.isoformat()}"


@task
def send_day_before(gathering_id: int) -> int:
    """The day before: to those going (members still active, and confirmed guests), with the
    address and, for a hybrid gathering, the online link. Once per person per start time."""
    g = _gathering(gathering_id)
    if g is None or g.is_cancelled:
        return 0
    key = _day_before_key(g.pk, g.starts_at)
    active = set(
        Membership.objects.active().filter(network=g.network).values_list("user_id", flat=True)
    )
    count = 0
    for r in Rsvp.objects.filter(gathering=g, status=RsvpStatus.GOING).select_related("user"):
        if r.user is not None and r.user_id in active:
            _mail_user(
                r.user,
                "day_before",
                kind="gathering_reminder",
                key=key,
                gathering=g,
                url=_url(g),
                links=answer_links(r.user, g),
            )
            count += 1
        elif r.user_id is None and r.guest_email:
            _mail_guest(r, g, "day_before", key=key, url=_guest_url(r), guest=True)
            count += 1
    return count


def day_before_due(now: datetime) -> int:
    """``kring tick``: gatherings starting 23 to 24 hours from now whose reminder has not gone
    out (the delivery log knows); the task itself sends each person once."""
    due = (
        Gathering.objects.filter(
            starts_at__gt=now + timedelta(hours=23), starts_at__lte=now + timedelta(hours=24)
        )
        .exclude(status=GatheringStatus.CANCELLED)
        .values_list("pk", "starts_at")
    )
    count = 0
    for pk, starts_at in due:
        key = _day_before_key(pk, starts_at)
        if Delivery.objects.filter(kind="gathering_reminder", idempotency_key=key).exists():
            continue
        send_day_before.enqueue(pk)
        count += 1
    return count
