"""Use-cases for gatherings: create, edit (one or the series), cancel, RSVP, guests, check-in.

Seats are guarded by the database: ``Gathering.seats_taken`` only changes through conditional
UPDATEs (``... SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity``) and a CHECK
constraint; every RSVP change first locks the gathering row (SELECT FOR UPDATE on PostgreSQL,
the IMMEDIATE write lock on SQLite), so waitlist numbers and promotions are serialised too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dateutil import rrule as du_rrule
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.tasks import enqueue_on_commit
from kring.networks.access import require_host as access_require_host
from kring.networks.access import require_member
from kring.networks.models import Membership, Network
from kring.people.models import User

from .models import Gathering, GatheringStatus, Rsvp, RsvpStatus, Series

MAX_OCCURRENCES = 52
MAX_DURATION = timedelta(days=3)
EDITABLE_FIELDS = (
    "title",
    "description",
    "venue_name",
    "venue_address",
    "online_url",
    "capacity",
    "open_to_guests",
)

RECURRENCES = {
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly_weekday": "",  # computed from the first date: e.g. FREQ=MONTHLY;BYDAY=2TU
    "monthly_day": "FREQ=MONTHLY",
}


def membership_of(actor: Any, network: Network) -> Membership:
    return require_member(actor, network, outsider_error=NotAllowed)


def require_host(actor: Any, network: Network) -> Membership:
    return access_require_host(actor, network, outsider_error=NotAllowed)


# --- Creating and editing ------------------------------------------------------------------


def _check_times(starts_at: datetime, ends_at: datetime, *, new: bool) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError(_("Give times with a time zone."), field="starts_at")
    if new and starts_at <= timezone.now():
        raise DomainError(_("A new gathering must start in the future."), field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(_("A gathering lasts at most three days."), field="ends_at")


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and (capacity < 1 or capacity > 100000):
        raise DomainError(_("Capacity must be between 1 and 100000, or empty."), field="capacity")


def recurrence_rule(kind: str, first_local: datetime) -> str:
    if kind not in RECURRENCES:
        raise DomainError(_("Unknown recurrence."), field="recurrence")
    if kind == "monthly_weekday":
        nth = (first_local.day - 1) // 7 + 1
        day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first_local.weekday()]
        return f"FREQ=MONTHLY;BYDAY={nth if nth < 5 else -1}{day}"
    return RECURRENCES[kind]


def occurrences(rule: str, first_local: datetime, count: int) -> list[datetime]:
    """Local (naive) start times of a series; DST-safe because the rule runs on wall time."""
    naive = first_local.replace(tzinfo=None)
    parsed = du_rrule.rrulestr(rule, dtstart=naive)
    return list(parsed.xafter(naive - timedelta(seconds=1), count=count, inc=True))


@transaction.atomic
def create_gathering(
    *,
    actor: User,
    network: Network,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | None = None,
    description: str = "",
    venue_name: str = "",
    venue_address: str = "",
    online_url: str = "",
    open_to_guests: bool = False,
    recurrence: str = "",
    occurrence_count: int = 1,
) -> Gathering:
    """Create a gathering (or a recurring series of them); returns the first one."""
    require_host(actor, network)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the gathering a title."), field="title")
    _check_times(starts_at, ends_at, new=True)
    _check_capacity(capacity)
    fields = dict(
        title=title[:200],
        description=description,
        venue_name=venue_name,
        venue_address=venue_address,
        online_url=online_url,
        capacity=capacity,
        open_to_guests=open_to_guests,
        network=network,
        created_by=actor,
    )
    tz = network.tzinfo
    duration = ends_at - starts_at
    if not recurrence:
        gathering = Gathering.objects.create(starts_at=starts_at, ends_at=ends_at, **fields)
        audit.record(verb="gathering.created", actor=actor, network=network, obj=gathering)
        return gathering
    if not 2 <= occurrence_count <= MAX_OCCURRENCES:
        raise DomainError(
            _("A series has between 2 and %(max)s gatherings."),
            field="occurrence_count",
            max=MAX_OCCURRENCES,
        )
    first_local = timezone.localtime(starts_at, tz)
    rule = recurrence_rule(recurrence, first_local)
    series = Series.objects.create(network=network, rrule=rule)
    created = []
    for local in occurrences(rule, first_local, occurrence_count):
        start = timezone.make_aware(local, tz)
        created.append(
            Gathering.objects.create(
                starts_at=start, ends_at=start + duration, series=series, **fields
            )
        )
    audit.record(
        verb="gathering.series_created",
        actor=actor,
        network=network,
        obj=created[0],
        rrule=rule,
        count=len(created),
    )
    return created[0]


def _apply_capacity(gathering: Gathering, capacity: int | None) -> None:
    """Change capacity under the row lock: never below those going; promote on growth."""
    _check_capacity(capacity)
    if capacity is None:
        updated = Gathering.objects.filter(pk=gathering.pk).update(capacity=None)
    else:
        updated = Gathering.objects.filter(pk=gathering.pk, seats_taken__lte=capacity).update(
            capacity=capacity
        )
    if not updated:
        taken = Gathering.objects.filter(pk=gathering.pk).values_list("seats_taken", flat=True)[0]
        raise DomainError(
            _("%(n)s people are already going; the capacity cannot be lower than that."),
            field="capacity",
            n=taken,
        )
    gathering.capacity = capacity
    _promote(gathering)


@transaction.atomic
def update_gathering(
    *,
    actor: User,
    gathering: Gathering,
    data: dict[str, Any],
    scope: str = "one",
) -> list[Gathering]:
    """Edit one occurrence, or (``scope="series"``) it and all later ones of its series.

    ``data`` may hold the editable fields and ``starts_at``/``ends_at``; in a series, a new
    time of day is applied to every later occurrence by the same shift.
    """
    require_host(actor, gathering.network)
    if gathering.is_cancelled:
        raise Conflict(_("This gathering is cancelled."))
    if scope not in {"one", "series"}:
        raise DomainError(_("Unknown scope."), field="scope")
    targets = [gathering]
    if scope == "series" and gathering.series_id:
        targets = list(
            Gathering.objects.select_for_update()
            .filter(series_id=gathering.series_id, starts_at__gte=gathering.starts_at)
            .exclude(status=GatheringStatus.CANCELLED)
            .order_by("starts_at")
        )
    new_start = data.get("starts_at", gathering.starts_at)
    new_end = data.get("ends_at", gathering.ends_at)
    moved = new_start != gathering.starts_at or new_end != gathering.ends_at
    _check_times(new_start, new_end, new=moved and new_start != gathering.starts_at)
    tz = gathering.network.tzinfo
    # Shift by wall-clock time, so "an hour later" stays right across a DST change.
    wall_shift = timezone.localtime(new_start, tz).replace(tzinfo=None) - timezone.localtime(
        gathering.starts_at, tz
    ).replace(tzinfo=None)
    duration = new_end - new_start
    if "title" in data and not str(data["title"]).strip():
        raise DomainError(_("Give the gathering a title."), field="title")
    # Only what really differs from this occurrence (forms send every field).
    changed = sorted(k for k in EDITABLE_FIELDS if k in data and data[k] != getattr(gathering, k))
    for target in targets:
        locked = Gathering.objects.select_for_update().get(pk=target.pk)
        for key in changed:
            if key != "capacity":
                setattr(locked, key, data[key])
        if moved:
            wall = timezone.localtime(locked.starts_at, tz).replace(tzinfo=None) + wall_shift
            locked.starts_at = timezone.make_aware(wall, tz)
            locked.ends_at = locked.starts_at + duration
        locked.sequence += 1
        locked.save()
        if "capacity" in changed:
            _apply_capacity(locked, data["capacity"])
        if target.pk == gathering.pk:
            gathering.refresh_from_db()
    if moved or {"venue_name", "venue_address", "online_url"} & set(changed):
        from .tasks import send_gathering_changed

        for target in targets:
            enqueue_on_commit(send_gathering_changed, target.pk)
    audit.record(
        verb="gathering.updated",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        scope=scope,
        fields=changed + (["time"] if moved else []),
        count=len(targets),
    )
    return targets


@transaction.atomic
def cancel_gathering(*, actor: User, gathering: Gathering) -> Gathering:
    require_host(actor, gathering.network)
    updated = (
        Gathering.objects.filter(pk=gathering.pk)
        .exclude(status=GatheringStatus.CANCELLED)
        .update(
            status=GatheringStatus.CANCELLED,
            cancelled_at=timezone.now(),
            sequence=F("sequence") + 1,
        )
    )
    if not updated:
        raise Conflict(_("This gathering is already cancelled."))
    gathering.refresh_from_db()
    from .tasks import send_gathering_cancelled

    enqueue_on_commit(send_gathering_cancelled, gathering.pk)
    audit.record(verb="gathering.cancelled", actor=actor, network=gathering.network, obj=gathering)
    return gathering


def _require_series(gathering: Gathering) -> int:
    if not gathering.series_id:
        raise DomainError(_("This gathering is not part of a series."), field="scope")
    return gathering.series_id


@transaction.atomic
def cancel_series(*, actor: User, gathering: Gathering) -> list[Gathering]:
    """Cancel every occurrence of ``gathering``'s series that has not started yet.

    Past occurrences stay as they were (their minutes and attendance are history). Members get
    **one** e-mail listing the cancelled dates; guests of each occurrence are told per
    occurrence. Returns the occurrences cancelled (in order).
    """
    require_host(actor, gathering.network)
    series_id = _require_series(gathering)
    now = timezone.now()
    targets = list(
        Gathering.objects.select_for_update()
        .filter(series_id=series_id, starts_at__gt=now)
        .exclude(status=GatheringStatus.CANCELLED)
        .order_by("starts_at")
    )
    if not targets:
        raise Conflict(_("No later gatherings in this series are left to cancel."))
    ids = [t.pk for t in targets]
    Gathering.objects.filter(pk__in=ids).update(
        status=GatheringStatus.CANCELLED, cancelled_at=now, sequence=F("sequence") + 1
    )
    from .tasks import send_series_cancelled

    enqueue_on_commit(send_series_cancelled, ids)
    audit.record(
        verb="gathering.series_cancelled",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        series=series_id,
        count=len(ids),
    )
    gathering.refresh_from_db()
    return list(Gathering.objects.filter(pk__in=ids).order_by("starts_at"))


@transaction.atomic
def extend_series(*, actor: User, gathering: Gathering, count: int) -> list[Gathering]:
    """Add the next ``count`` occurrences to ``gathering``'s series, after its last one.

    The rule (``Series.rrule``) runs on from the last occurrence's wall-clock start, so a time
    moved for "this and all later gatherings" carries on; title, place, capacity and the guest
    setting are copied from the last occurrence that is not cancelled. Only future dates are
    added. Returns the new occurrences (in order).
    """
    require_host(actor, gathering.network)
    series_id = _require_series(gathering)
    if not isinstance(count, int) or not 1 <= count <= MAX_OCCURRENCES:
        raise DomainError(
            _("Add between 1 and %(max)s gatherings."), field="count", max=MAX_OCCURRENCES
        )
    series = Series.objects.select_for_update().get(pk=series_id)
    occurrences_qs = Gathering.objects.filter(series_id=series_id)
    last = occurrences_qs.order_by("-starts_at").first()
    model = (
        occurrences_qs.exclude(status=GatheringStatus.CANCELLED).order_by("-starts_at").first()
        or last
    )
    assert last is not None and model is not None
    if occurrences_qs.count() + count > MAX_OCCURRENCES * 4:
        raise DomainError(
            _("A series can hold at most %(max)s gatherings."),
            field="count",
            max=MAX_OCCURRENCES * 4,
        )
    tz = gathering.network.tzinfo
    anchor = timezone.localtime(last.starts_at, tz).replace(tzinfo=None)
    after = max(anchor, timezone.localtime(timezone.now(), tz).replace(tzinfo=None))
    rule = du_rrule.rrulestr(series.rrule, dtstart=anchor)
    duration = model.ends_at - model.starts_at
    created = []
    for local in rule.xafter(after, count=count, inc=False):
        start = timezone.make_aware(local, tz)
        created.append(
            Gathering.objects.create(
                network=gathering.network,
                series=series,
                starts_at=start,
                ends_at=start + duration,
                created_by=actor,
                **{f: getattr(model, f) for f in EDITABLE_FIELDS},
            )
        )
    audit.record(
        verb="gathering.series_extended",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        series=series_id,
        count=len(created),
    )
    return created


# --- RSVP -----------------------------------------------------------------------------------


def _lock(gathering: Gathering) -> Gathering:
    """Lock the gathering row: every seat change of this gathering goes through here."""
    return Gathering.objects.select_for_update().get(pk=gathering.pk)


def _take_seat(gathering_id: int) -> bool:
    return bool(
        Gathering.objects.filter(pk=gathering_id)
        .filter(Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity")))
        .update(seats_taken=F("seats_taken") + 1)
    )


def _free_seat(gathering_id: int) -> None:
    Gathering.objects.filter(pk=gathering_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def _next_waitlist_number(gathering_id: int) -> int:
    Gathering.objects.filter(pk=gathering_id).update(waitlist_seq=F("waitlist_seq") + 1)
    return Gathering.objects.filter(pk=gathering_id).values_list("waitlist_seq", flat=True)[0]


def _promote(gathering: Gathering) -> list[Rsvp]:
    """Give free seats to the waitlist, first come first served; tell those promoted."""
    from .tasks import send_promoted

    promoted = []
    while True:
        first = (
            Rsvp.objects.filter(gathering_id=gathering.pk, status=RsvpStatus.WAITLISTED)
            .order_by("waitlist_number")
            .first()
        )
        if first is None or not _take_seat(gathering.pk):
            break
        first.status = RsvpStatus.GOING
        first.waitlist_number = None
        first.save(update_fields=["status", "waitlist_number"])
        promoted.append(first)
        enqueue_on_commit(send_promoted, first.pk)
    return promoted


def _seat_or_waitlist(rsvp: Rsvp) -> None:
    if _take_seat(rsvp.gathering_id):
        rsvp.status = RsvpStatus.GOING
        rsvp.waitlist_number = None
    else:
        rsvp.status = RsvpStatus.WAITLISTED
        rsvp.waitlist_number = _next_waitlist_number(rsvp.gathering_id)


def _release(rsvp: Rsvp, new_status: str) -> None:
    was_going = rsvp.status == RsvpStatus.GOING
    rsvp.status = new_status
    rsvp.waitlist_number = None
    rsvp.checked_in_at = None
    rsvp.save()
    if was_going:
        _free_seat(rsvp.gathering_id)
        _promote(rsvp.gathering)


@dataclass
class RsvpResult:
    rsvp: Rsvp
    changed: bool

    @property
    def status(self) -> str:
        return self.rsvp.status

    @property
    def waitlist_position(self) -> int | None:
        return waitlist_position(self.rsvp)


def waitlist_position(rsvp: Rsvp) -> int | None:
    if rsvp.status != RsvpStatus.WAITLISTED or rsvp.waitlist_number is None:
        return None
    return Rsvp.objects.filter(
        gathering_id=rsvp.gathering_id,
        status=RsvpStatus.WAITLISTED,
        waitlist_number__lte=rsvp.waitlist_number,
    ).count()


def _open_for_answers(gathering: Gathering) -> None:
    if gathering.status == GatheringStatus.CANCELLED:
        raise Conflict(_("This gathering is cancelled."))
    if gathering.ends_at < timezone.now():
        raise Conflict(_("This gathering is over."))


@transaction.atomic
def answer_rsvp(*, actor: User, gathering: Gathering, answer: str) -> RsvpResult:
    """A member answers going / maybe / not going. Repeating an answer changes nothing."""
    membership_of(actor, gathering.network)
    if answer not in {RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING}:
        raise DomainError(_("Answer going, maybe or not going."), field="answer")
    locked = _lock(gathering)
    _open_for_answers(locked)
    rsvp = Rsvp.objects.filter(gathering=locked, user=actor).first()
    if rsvp is not None and (
        rsvp.status == answer
        or (answer == RsvpStatus.GOING and rsvp.status == RsvpStatus.WAITLISTED)
    ):
        return RsvpResult(rsvp=rsvp, changed=False)
    if rsvp is None:
        rsvp = Rsvp(gathering=locked, user=actor, status=answer)
    rsvp.gathering = locked
    rsvp.answered_at = timezone.now()
    if answer == RsvpStatus.GOING:
        _seat_or_waitlist(rsvp)
        rsvp.save()
    elif rsvp.pk:
        _release(rsvp, answer)
    else:
        rsvp.save()
    audit.record(
        verb="gathering.rsvp",
        actor=actor,
        network=locked.network,
        obj=locked,
        answer=answer,
        status=rsvp.status,
    )
    return RsvpResult(rsvp=rsvp, changed=True)


# --- Guests ---------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def register_guest(*, gathering: Gathering, name: str, email: str) -> Rsvp:
    """A guest signs up for an open gathering; the seat is taken once they confirm by e-mail."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    name = (name or "").strip()[:120]
    email = (email or "").strip().lower()
    if not name:
        raise DomainError(_("Please give your name."), field="name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Please give a valid e-mail address."), field="email") from exc
    locked = _lock(gathering)
    if not locked.open_to_guests:
        raise NotAllowed(_("This gathering is not open to guests."))
    _open_for_answers(locked)
    raw = secrets.token_urlsafe(24)
    rsvp = Rsvp.objects.filter(gathering=locked, user__isnull=True, guest_email=email).first()
    if rsvp is not None and rsvp.status in {RsvpStatus.GOING, RsvpStatus.WAITLISTED}:
        raise Conflict(
            _("This e-mail address is already registered for this gathering."), field="email"
        )
    if rsvp is None:
        rsvp = Rsvp(gathering=locked, guest_email=email)
    rsvp.guest_name = name
    rsvp.status = RsvpStatus.UNCONFIRMED
    rsvp.guest_token_hash = hash_token(raw)
    rsvp.answered_at = timezone.now()
    rsvp.save()
    from .tasks import send_guest_confirmation

    enqueue_on_commit(send_guest_confirmation, rsvp.pk, raw)
    audit.record(verb="gathering.guest_registered", network=locked.network, obj=locked)
    return rsvp


def guest_link_token(rsvp: Rsvp) -> str:
    """A token for the guest's page in later e-mails (promotion, changes), when the raw token
    of the sign-up mail is no longer known: ``<rsvp id>.<HMAC of the stored token hash>``.

    It stays valid as long as the sign-up does (a new sign-up with the same address issues a
    new token hash, which invalidates it) and never reveals the original token.
    """
    from django.utils.crypto import salted_hmac

    mac = salted_hmac(
        "kring.gatherings.guest_link", rsvp.guest_token_hash, algorithm="sha256"
    ).hexdigest()
    return f"{rsvp.pk}.{mac[:40]}"


def guest_rsvp_by_token(raw: str) -> Rsvp | None:
    """The guest's RSVP for a link token: the sign-up token (only its SHA-256 is stored), or
    a :func:`guest_link_token` (recognised by the dot, which ``token_urlsafe`` never uses)."""
    if not raw or len(raw) > 100:
        return None
    qs = Rsvp.objects.select_related("gathering__network").filter(user__isnull=True)
    if "." in raw:
        pk, _dot, _mac = raw.partition(".")
        rsvp = qs.filter(pk=int(pk)).exclude(guest_token_hash="").first() if pk.isdigit() else None
        if rsvp is None or not secrets.compare_digest(guest_link_token(rsvp), raw):
            return None
        return rsvp
    return qs.filter(guest_token_hash=hash_token(raw)).first()


@transaction.atomic
def confirm_guest(*, rsvp: Rsvp) -> Rsvp:
    locked = _lock(rsvp.gathering)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    if rsvp.status in {RsvpStatus.GOING, RsvpStatus.WAITLISTED}:
        return rsvp
    _open_for_answers(locked)
    rsvp.answered_at = timezone.now()
    _seat_or_waitlist(rsvp)
    rsvp.save()
    audit.record(
        verb="gathering.guest_confirmed", network=locked.network, obj=locked, status=rsvp.status
    )
    return rsvp


@transaction.atomic
def cancel_guest(*, rsvp: Rsvp) -> Rsvp:
    _lock(rsvp.gathering)
    rsvp = Rsvp.objects.select_related("gathering").get(pk=rsvp.pk)
    if rsvp.status == RsvpStatus.NOT_GOING:
        return rsvp
    _release(rsvp, RsvpStatus.NOT_GOING)
    audit.record(
        verb="gathering.guest_cancelled", network=rsvp.gathering.network, obj=rsvp.gathering
    )
    return rsvp


# --- Check-in -------------------------------------------------------------------------------

SELF_CHECKIN_BEFORE = timedelta(hours=2)
SELF_CHECKIN_AFTER = timedelta(hours=2)


def _check_in(rsvp: Rsvp, by: User) -> Rsvp:
    if rsvp.status != RsvpStatus.GOING:
        raise Conflict(_("%(name)s is not on the list of people going."), name=rsvp.name)
    if rsvp.checked_in_at is None:
        rsvp.checked_in_at = timezone.now()
        rsvp.checked_in_by = by
        rsvp.save(update_fields=["checked_in_at", "checked_in_by"])
    return rsvp


@transaction.atomic
def check_in(
    *,
    actor: User,
    gathering: Gathering,
    rsvp_id: int | None = None,
    user_id: int | None = None,
    undo: bool = False,
) -> Rsvp:
    """A host ticks someone off at the door (by RSVP id, or a member by user id)."""
    require_host(actor, gathering.network)
    if gathering.is_cancelled:
        raise Conflict(_("This gathering is cancelled."))
    qs = Rsvp.objects.select_related("user__profile").filter(gathering=gathering)
    if rsvp_id is not None:
        rsvp = qs.filter(pk=rsvp_id).first()
    elif user_id is not None:
        rsvp = qs.filter(user_id=user_id).first()
    else:
        rsvp = None
    if rsvp is None:
        raise Conflict(_("This person has not said they are coming."), field="member_id")
    if undo:
        rsvp.checked_in_at = None
        rsvp.checked_in_by = None
        rsvp.save(update_fields=["checked_in_at", "checked_in_by"])
        audit.record(
            verb="gathering.checkin_undone",
            actor=actor,
            network=gathering.network,
            obj=gathering,
            rsvp=rsvp.pk,
        )
        return rsvp
    _check_in(rsvp, actor)
    audit.record(
        verb="gathering.checked_in",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        rsvp=rsvp.pk,
    )
    return rsvp


@transaction.atomic
def self_check_in(*, actor: User, gathering: Gathering, code: str) -> Rsvp:
    membership_of(actor, gathering.network)
    if gathering.is_cancelled:
        raise Conflict(_("This gathering is cancelled."))
    now = timezone.now()
    if not (
        gathering.starts_at - SELF_CHECKIN_BEFORE <= now <= gathering.ends_at + SELF_CHECKIN_AFTER
    ):
        raise Conflict(_("Checking in is possible from two hours before the start."), field="code")
    if not secrets.compare_digest((code or "").strip().upper(), gathering.checkin_code):
        raise DomainError(_("That code is not right. Look for it at the venue."), field="code")
    rsvp = Rsvp.objects.filter(gathering=gathering, user=actor).first()
    if rsvp is None:
        raise Conflict(_("Say you are coming first."), field="code")
    rsvp.gathering = gathering
    _check_in(rsvp, actor)
    audit.record(
        verb="gathering.self_checked_in", actor=actor, network=gathering.network, obj=gathering
    )
    return rsvp
