"""Reads for gatherings. Other apps (engagement, results, public page) use these."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kring.networks.models import Network

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaRead,
    AgendaStatus,
    DiscussionOptOut,
    Gathering,
    GatheringStatus,
    Rsvp,
    RsvpStatus,
)


def _past(network: Network, since: datetime | None) -> QuerySet[Gathering]:
    qs = Gathering.objects.filter(network=network, ends_at__lt=timezone.now()).exclude(
        status=GatheringStatus.CANCELLED
    )
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    return qs


def checked_in_user_ids(gathering: Gathering) -> list[int]:
    return list(
        Rsvp.objects.filter(gathering=gathering, user__isnull=False, checked_in_at__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def going_user_ids(gathering: Gathering) -> list[int]:
    return list(
        Rsvp.objects.filter(gathering=gathering, user__isnull=False, status=RsvpStatus.GOING)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def going_guest_ids(gathering: Gathering) -> list[int]:
    """The answers (``Rsvp`` ids) of guests and walk-ins coming in person: a table plan seats
    them by name."""
    return list(
        Rsvp.objects.filter(gathering=gathering, user__isnull=True, status=RsvpStatus.GOING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def upcoming_gatherings(network: Network, *, limit: int = 5) -> list[Gathering]:
    return list(
        Gathering.objects.filter(network=network, ends_at__gte=timezone.now())
        .exclude(status=GatheringStatus.CANCELLED)
        .select_related("network")
        .order_by("starts_at")[:limit]
    )


def upcoming_open_gatherings(network: Network, *, limit: int = 5) -> list[Gathering]:
    """Public: scheduled gatherings open to guests (for the public network page)."""
    return list(
        Gathering.objects.filter(network=network, ends_at__gte=timezone.now(), open_to_guests=True)
        .exclude(status=GatheringStatus.CANCELLED)
        .select_related("network")
        .order_by("starts_at")[:limit]
    )


def open_gatherings_changed_at(network: Network) -> datetime | None:
    """When an upcoming gathering open to guests last changed (its cover, title, time...):
    part of the public page's change stamp."""
    changed: datetime | None = Gathering.objects.filter(
        network=network, ends_at__gte=timezone.now(), open_to_guests=True
    ).aggregate(m=Max("updated_at"))["m"]
    return changed


def attendance_stats(
    network: Network, *, since: datetime | None = None
) -> dict[int, dict[str, int]]:
    """Per user id over past gatherings: "going", "attended", "agenda_read_before"."""
    past = _past(network, since)
    stats: dict[int, dict[str, int]] = {}

    def row(uid: int) -> dict[str, int]:
        return stats.setdefault(uid, {"going": 0, "attended": 0, "agenda_read_before": 0})

    for r in (
        Rsvp.objects.filter(gathering__in=past, user__isnull=False)
        .values("user_id")
        .annotate(
            going=Count("pk", filter=Q(status=RsvpStatus.GOING)),
            attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
    ):
        entry = row(r["user_id"])
        entry["going"] = r["going"]
        entry["attended"] = r["attended"]
    for read in (
        AgendaRead.objects.filter(gathering__in=past, read_at__lte=F("gathering__starts_at"))
        .values("user_id")
        .annotate(n=Count("pk"))
    ):
        row(read["user_id"])["agenda_read_before"] = read["n"]
    return stats


def action_item_stats(
    network: Network, *, since: datetime | None = None
) -> dict[int, dict[str, int]]:
    """Per owner: "total", "done", "done_on_time", "overdue" (open and past due)."""
    qs = ActionItem.objects.filter(network=network)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    today = timezone.localdate(timezone.now(), network.tzinfo)
    stats: dict[int, dict[str, int]] = {}
    for item in qs.only("owner_id", "status", "due_date", "done_at"):
        entry = stats.setdefault(
            item.owner_id, {"total": 0, "done": 0, "done_on_time": 0, "overdue": 0}
        )
        entry["total"] += 1
        if item.status == ActionStatus.DONE:
            entry["done"] += 1
            if item.due_date is None or (
                item.done_at and timezone.localdate(item.done_at, network.tzinfo) <= item.due_date
            ):
                entry["done_on_time"] += 1
        elif item.due_date is not None and item.due_date < today:
            entry["overdue"] += 1
    return stats


def gatherings_summary(network: Network, *, since: datetime | None = None) -> dict[str, int]:
    past = _past(network, since)
    return {
        "past": past.count(),
        "with_published_agenda": past.filter(agenda_status=AgendaStatus.PUBLISHED).count(),
        "with_minutes": past.exclude(minutes="").count(),
        "with_action_items": past.filter(
            Exists(ActionItem.objects.filter(gathering=OuterRef("pk")))
        ).count(),
    }


# --- Reads for the app's own pages -----------------------------------------------------------


def gatherings_for_list(
    network: Network, user: Any, *, past: bool = False, limit: int = 50
) -> list[Gathering]:
    """Gatherings with the viewer's RSVP and read state attached, in a constant query count."""
    qs = Gathering.objects.filter(network=network).select_related("network")
    qs = qs.past() if past else qs.upcoming()
    qs = qs.annotate(
        going_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING)),
        has_read=Exists(AgendaRead.objects.filter(gathering=OuterRef("pk"), user=user)),
    )
    gatherings: list[Gathering] = list(qs[:limit])
    mine = dict(
        Rsvp.objects.filter(gathering__in=gatherings, user=user).values_list(
            "gathering_id", "status"
        )
    )
    for g in gatherings:
        g.my_status = mine.get(g.pk, "")  # type: ignore[attr-defined]
    return gatherings


def gatherings_in_month(network: Network, first: date, next_first: date) -> list[Gathering]:
    """Every gathering starting in a month of the network's calendar (cancelled ones too):
    one query, for the month view."""
    tz = network.tzinfo
    return list(
        Gathering.objects.filter(
            network=network,
            starts_at__gte=datetime.combine(first, time.min, tzinfo=tz),
            starts_at__lt=datetime.combine(next_first, time.min, tzinfo=tz),
        )
        .select_related("network")
        .order_by("starts_at", "pk")
    )


def gathering_for(network: Network, gathering_id: int) -> Gathering | None:
    """The network's gathering with this id, or None. Its ``network`` is the one given (the
    caller has it already; joining it again would load every column of the network twice)."""
    g = Gathering.objects.select_related("series").filter(network=network, pk=gathering_id).first()
    if g is not None:
        g.network = network
    return g


def gathering_for_page(network: Network, gathering_id: int, viewer: Any) -> Gathering | None:
    """``gathering_for`` with what the gathering's page asks about the viewer, in the same
    query: ``has_read`` (the viewer read its agenda) and ``emails_off`` (the viewer turned off
    the e-mails about the network's discussions)."""
    g = (
        Gathering.objects.select_related("series")
        .filter(network=network, pk=gathering_id)
        .annotate(
            has_read=Exists(AgendaRead.objects.filter(gathering=OuterRef("pk"), user=viewer)),
            emails_off=Exists(
                DiscussionOptOut.objects.filter(network=OuterRef("network_id"), user=viewer)
            ),
        )
        .first()
    )
    if g is not None:
        g.network = network
    return g


def agenda_items(gathering: Gathering) -> list[AgendaItem]:
    return list(gathering.agenda_items.select_related("owner__profile"))


def attendees(gathering: Gathering, *, with_reads: bool = False) -> list[Rsvp]:
    """Everyone who answered, by status. ``with_reads`` annotates each with ``has_read``
    (a member who read the agenda; False for a guest), for the hosts' reading list."""
    qs = (
        Rsvp.objects.filter(gathering=gathering)
        .select_related("user__profile")
        .order_by("status", "waitlist_number", "answered_at")
    )
    if with_reads:
        qs = qs.annotate(
            has_read=Exists(
                AgendaRead.objects.filter(
                    gathering_id=OuterRef("gathering_id"), user_id=OuterRef("user_id")
                )
            )
        )
    return list(qs)


def open_actions_carried(gathering: Gathering) -> list[ActionItem]:
    """Open action items from earlier gatherings of the network (shown on this agenda)."""
    return list(
        ActionItem.objects.filter(
            network_id=gathering.network_id,
            status=ActionStatus.OPEN,
            gathering__starts_at__lt=gathering.starts_at,
        )
        .select_related("owner__profile")  # the pages show its title and owner, not its gathering
        .order_by("due_date", "pk")
    )


def reads_by_user(gathering: Gathering) -> dict[int, Any]:
    return dict(AgendaRead.objects.filter(gathering=gathering).values_list("user_id", "read_at"))


def next_gathering_for(network: Network, user: Any) -> Gathering | None:
    """The network's next gathering that is not over or cancelled, or None; annotated with
    ``has_read`` (the viewer read its agenda) and ``my_status`` (the viewer's answer, "" when
    none). One query."""
    return (
        Gathering.objects.filter(network=network, ends_at__gte=timezone.now())
        .exclude(status=GatheringStatus.CANCELLED)
        .annotate(
            has_read=Exists(AgendaRead.objects.filter(gathering=OuterRef("pk"), user=user)),
            my_status=Coalesce(
                Subquery(
                    Rsvp.objects.filter(gathering=OuterRef("pk"), user=user)
                    .order_by("answered_at")
                    .values("status")[:1]
                ),
                Value(""),
            ),
        )
        .order_by("starts_at")
        .first()
    )


# --- Guests ---------------------------------------------------------------------------------

#: Statuses that count as a visit (coming, or came; in person or online).
VISIT_STATUSES = (RsvpStatus.GOING, RsvpStatus.ONLINE)


def attendee_count(gathering: Gathering) -> int:
    """Everyone who attended: members and guests, walk-ins, in person and online."""
    return Rsvp.objects.filter(gathering=gathering, checked_in_at__isnull=False).count()


def guest_visits(network: Network, emails: list[str]) -> dict[str, int]:
    """How many gatherings of the network each guest address came (or is coming) to."""
    if not emails:
        return {}
    rows = (
        Rsvp.objects.filter(
            gathering__network=network,
            user__isnull=True,
            guest_email__in=emails,
            status__in=VISIT_STATUSES,
        )
        .exclude(gathering__status=GatheringStatus.CANCELLED)
        .values("guest_email")
        .annotate(n=Count("gathering_id", distinct=True))
    )
    return {r["guest_email"]: r["n"] for r in rows}


def gathering_guests(gathering: Gathering) -> list[dict[str, Any]]:
    """The guests of one gathering for its hosts: the e-mail only with consent."""
    rsvps = list(
        Rsvp.objects.filter(gathering=gathering, user__isnull=True).order_by(
            "status", "waitlist_number", "guest_name"
        )
    )
    visits = guest_visits(gathering.network, [r.guest_email for r in rsvps if r.guest_email])
    return [
        {
            "id": r.pk,
            "name": r.guest_name,
            "email": r.guest_email if r.has_consent and r.guest_email else None,
            "consent_at": r.guest_consent_at,
            "status": r.status,
            "status_label": r.get_status_display(),
            "waitlist_number": r.waitlist_number,
            "walk_in": r.walk_in,
            "checked_in_at": r.checked_in_at,
            "visits": visits.get(r.guest_email, 0)
            if r.guest_email
            else int(r.status in VISIT_STATUSES),
        }
        for r in rsvps
    ]


def network_guests(network: Network, *, limit: int = 500) -> list[dict[str, Any]]:
    """Every guest of the network by e-mail address, with return visits, first and last visit
    and the latest consent; walk-ins without an address are listed once each."""
    rows = (
        Rsvp.objects.filter(gathering__network=network, user__isnull=True)
        .exclude(gathering__status=GatheringStatus.CANCELLED)
        .select_related("gathering")
        .order_by("gathering__starts_at", "pk")
    )
    people: dict[str, dict[str, Any]] = {}
    for r in rows[:5000]:
        key = r.guest_email or f"walk-in:{r.pk}"
        p = people.setdefault(
            key,
            {
                "key": key,
                "name": r.guest_name,
                "email": None,
                "consent_at": None,
                "visits": 0,
                "first_visit": None,
                "last_visit": None,
                "walk_in": r.walk_in,
            },
        )
        p["name"] = r.guest_name or p["name"]
        # The latest answer decides consent (a later sign-up without it withdraws it).
        p["consent_at"] = r.guest_consent_at
        p["email"] = r.guest_email if r.guest_consent_at and r.guest_email else None
        if r.status in VISIT_STATUSES:
            p["visits"] += 1
            when = r.gathering.starts_at
            p["first_visit"] = p["first_visit"] or when
            p["last_visit"] = when
    out = sorted(people.values(), key=lambda p: (-p["visits"], p["name"].lower(), p["key"]))
    return out[:limit]
