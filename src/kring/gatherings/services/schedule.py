"""Creating, editing and cancelling gatherings and recurring series."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dateutil import rrule as du_rrule
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.covers import cover_from_upload, save_cover
from kring.core.dates import check_date
from kring.core.errors import Conflict, DomainError
from kring.core.tasks import enqueue_on_commit
from kring.core.weblinks import check_web_url
from kring.federation import publishing
from kring.gatherings import tasks
from kring.gatherings.models import (
    ContributionMethod,
    Gathering,
    GatheringMode,
    GatheringStatus,
    Series,
)
from kring.networks.access import require_host
from kring.networks.models import Network
from kring.people.models import User
from kring.public import cache as public_cache

from .seats import _promote

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
    "mode",
    "guest_contribution_cents",
    "contribution_method",
    "follow_up_guests",
)
MAX_CONTRIBUTION_CENTS = 100_000

RECURRENCES = {
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly_weekday": "",  # computed from the first date: e.g. FREQ=MONTHLY;BYDAY=2TU
    "monthly_day": "FREQ=MONTHLY",
}


# --- Creating and editing ------------------------------------------------------------------


def _check_times(starts_at: datetime, ends_at: datetime, *, new: bool) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError(_("Give times with a time zone."), field="starts_at")
    check_date(starts_at, field="starts_at")
    check_date(ends_at, field="ends_at")
    if new and starts_at <= timezone.now():
        raise DomainError(_("A new gathering must start in the future."), field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(_("A gathering lasts at most three days."), field="ends_at")


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and (capacity < 1 or capacity > 100000):
        raise DomainError(_("Capacity must be between 1 and 100000, or empty."), field="capacity")


def _check_outside(mode: str, online_url: str, cents: int | None, method: str) -> tuple[str, str]:
    """Mode and contribution rules; returns the mode and the payment method to store."""
    if mode not in GatheringMode.values:
        raise DomainError(_("Choose in person, online or both."), field="mode")
    if mode != GatheringMode.IN_PERSON and not online_url:
        raise DomainError(
            _("Give the online link for a gathering people can join online."), field="online_url"
        )
    if cents is not None and not 0 <= cents <= MAX_CONTRIBUTION_CENTS:
        raise DomainError(
            _("The guest contribution is between €0 and €1,000."),
            field="guest_contribution_cents",
        )
    if not cents:
        return mode, ""
    if method and method not in ContributionMethod.values:
        raise DomainError(_("Paid at the door or by transfer."), field="contribution_method")
    return mode, method or ContributionMethod.DOOR


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
    mode: str = "",
    guest_contribution_cents: int | None = None,
    contribution_method: str = "",
    follow_up_guests: bool = False,
) -> Gathering:
    """Create a gathering (or a recurring series of them); returns the first one.

    ``mode``: in person (the default), online or hybrid; without a mode an online link means
    hybrid. ``guest_contribution_cents``: None = not stated, 0 = free."""
    require_host(actor, network)
    mode = mode or (GatheringMode.HYBRID if online_url else GatheringMode.IN_PERSON)
    mode, contribution_method = _check_outside(
        mode, online_url, guest_contribution_cents, contribution_method
    )
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the gathering a title."), field="title")
    _check_times(starts_at, ends_at, new=True)
    _check_capacity(capacity)
    online_url = check_web_url(online_url, field="online_url")
    fields = dict(
        title=title[:200],
        description=description,
        venue_name=venue_name,
        venue_address=venue_address,
        online_url=online_url,
        capacity=capacity,
        open_to_guests=open_to_guests,
        mode=mode,
        guest_contribution_cents=guest_contribution_cents,
        contribution_method=contribution_method,
        follow_up_guests=follow_up_guests,
        network=network,
        created_by=actor,
    )
    tz = network.tzinfo
    duration = ends_at - starts_at
    if not recurrence:
        gathering = Gathering.objects.create(starts_at=starts_at, ends_at=ends_at, **fields)
        audit.record(verb="gathering.created", actor=actor, network=network, obj=gathering)
        publishing.gathering_changed(gathering)
        public_cache.invalidate(gathering.network_id)
        enqueue_on_commit(tasks.send_gathering_announced, gathering.pk, actor.pk)
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
    for occurrence in created:
        publishing.gathering_changed(occurrence)
        public_cache.invalidate(occurrence.network_id)
    enqueue_on_commit(tasks.send_gathering_announced, created[0].pk, actor.pk)  # the first date
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
    if "online_url" in data:
        data = {**data, "online_url": check_web_url(data["online_url"], field="online_url")}
    outside = {
        k: data.get(k, getattr(gathering, k))
        for k in ("mode", "online_url", "guest_contribution_cents", "contribution_method")
    }
    data = dict(data)
    data["mode"], data["contribution_method"] = _check_outside(
        outside["mode"] or GatheringMode.IN_PERSON,
        outside["online_url"] or "",
        outside["guest_contribution_cents"],
        outside["contribution_method"] or "",
    )
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
        for target in targets:
            enqueue_on_commit(tasks.send_gathering_changed, target.pk)
    audit.record(
        verb="gathering.updated",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        scope=scope,
        fields=changed + (["time"] if moved else []),
        count=len(targets),
    )
    for target in targets:
        publishing.gathering_changed(target)
        public_cache.invalidate(target.network_id)
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
    enqueue_on_commit(tasks.send_gathering_cancelled, gathering.pk)
    audit.record(verb="gathering.cancelled", actor=actor, network=gathering.network, obj=gathering)
    publishing.gathering_changed(gathering)
    public_cache.invalidate(gathering.network_id)
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
    enqueue_on_commit(tasks.send_series_cancelled, ids)
    audit.record(
        verb="gathering.series_cancelled",
        actor=actor,
        network=gathering.network,
        obj=gathering,
        series=series_id,
        count=len(ids),
    )
    gathering.refresh_from_db()
    cancelled = list(Gathering.objects.filter(pk__in=ids).order_by("starts_at"))
    for target in cancelled:
        publishing.gathering_changed(target)
        public_cache.invalidate(target.network_id)
    return cancelled


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
    for occurrence in created:
        publishing.gathering_changed(occurrence)
        public_cache.invalidate(occurrence.network_id)
    return created


@transaction.atomic
def set_gathering_cover(*, actor: User, gathering: Gathering, upload: Any) -> Gathering:
    """A host gives a gathering a cover (checked and re-encoded; the old one is deleted)."""
    require_host(actor, gathering.network)
    renditions = cover_from_upload(upload)
    locked = Gathering.objects.select_for_update().select_related("network").get(pk=gathering.pk)
    save_cover(locked, renditions)
    audit.record(verb="gathering.cover_set", actor=actor, network=locked.network, obj=locked)
    public_cache.invalidate(locked.network_id)  # an open gathering's cover is on the page
    return locked


@transaction.atomic
def remove_gathering_cover(*, actor: User, gathering: Gathering) -> Gathering:
    require_host(actor, gathering.network)
    locked = Gathering.objects.select_for_update().select_related("network").get(pk=gathering.pk)
    if locked.has_cover:
        save_cover(locked, None)
        audit.record(
            verb="gathering.cover_removed", actor=actor, network=locked.network, obj=locked
        )
        public_cache.invalidate(locked.network_id)
    return locked
