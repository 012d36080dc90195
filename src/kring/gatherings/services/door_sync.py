"""Check-ins made at the door without a connection, saved when the host's phone is back online.

The door list keeps working offline (``docs/gatherings.md``, "The door list offline"): each
tick is queued on the phone with a client id and the moment it was made, and sent here in one
batch. The rules:

- **Idempotent.** Sending the same batch twice, or the same person twice, checks them in once;
  every client id gets an answer, so the phone can drop what was saved.
- **Checked in wins.** Someone already checked in stays so (the earlier time is kept); nothing
  in a batch ever undoes a check-in.
- **Nothing lost.** Someone who cancelled, moved to the waiting list or to joining online while
  the phone was offline was at the door: they are recorded as attended (their answer becomes
  "going" again, taking a seat, or one more seat if the room is full, as for a walk-in) and the
  answer carries a note the door list shows the host. An answer that no longer exists (an
  erased account) cannot be recorded; the note says to add them as a walk-in.
- A cancelled gathering takes no check-ins (409); the phone keeps the queue and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.core import audit
from kring.core.errors import Conflict, DomainError
from kring.gatherings.models import Gathering, Rsvp, RsvpStatus
from kring.networks.access import require_host
from kring.people.models import User

from .seats import _lock, _seat_in_the_room

#: One batch holds at most this many check-ins (a door list of a large gathering, twice).
MAX_BATCH = 1000
#: A phone's clock may be off; a time before this much ahead of the start is not believed.
EARLIEST_BEFORE_START = timedelta(hours=12)


@dataclass(frozen=True)
class OfflineCheckIn:
    client_id: str
    rsvp_id: int
    checked_in_at: datetime | None = None


@dataclass
class CheckInResult:
    client_id: str
    rsvp_id: int
    status: str  # "checked_in" | "already" | "restored" | "missing"
    name: str = ""
    checked_in_at: datetime | None = None
    note: str = ""


@dataclass
class SyncResult:
    results: list[CheckInResult] = field(default_factory=list)
    checked: int = 0
    total: int = 0


def _moment(gathering: Gathering, at: datetime | None, now: datetime) -> datetime:
    """The client's time, kept between half a day before the start and now."""
    if at is None or timezone.is_naive(at):
        return now
    return min(max(at, gathering.starts_at - EARLIEST_BEFORE_START), now)


def _restore_note(rsvp: Rsvp, was: str) -> str:
    if was == RsvpStatus.WAITLISTED:
        return _(
            "%(name)s was on the waiting list, but you checked them in at the door: "
            "recorded as attended."
        ) % {"name": rsvp.name}
    if was == RsvpStatus.ONLINE:
        return _(
            "%(name)s had switched to joining online, but you checked them in at the door: "
            "recorded as attended in person."
        ) % {"name": rsvp.name}
    return _(
        "%(name)s cancelled while you were offline, but you checked them in at the door: "
        "recorded as attended."
    ) % {"name": rsvp.name}


@transaction.atomic
def sync_check_ins(*, actor: User, gathering: Gathering, items: list[OfflineCheckIn]) -> SyncResult:
    """Save a batch of check-ins made offline (hosts); see the module's rules."""
    require_host(actor, gathering.network)
    if len(items) > MAX_BATCH:
        raise DomainError(
            gettext_lazy("Send at most %(max)s check-ins at once."),
            max=MAX_BATCH,
            field="check_ins",
            status=422,
        )
    locked = _lock(gathering)
    if locked.is_cancelled:
        raise Conflict(gettext_lazy("This gathering is cancelled."))
    now = timezone.now()
    rsvps = {
        r.pk: r
        for r in Rsvp.objects.select_related("user__profile").filter(
            gathering=locked, pk__in={i.rsvp_id for i in items}
        )
    }
    outcome = SyncResult()
    for item in sorted(items, key=lambda i: (i.checked_in_at is None, i.checked_in_at or now)):
        rsvp = rsvps.get(item.rsvp_id)
        if rsvp is None:
            outcome.results.append(
                CheckInResult(
                    client_id=item.client_id,
                    rsvp_id=item.rsvp_id,
                    status="missing",
                    note=_(
                        "This person is no longer on the list, so the check-in could not "
                        "be saved. If they came, add them as a walk-in."
                    ),
                )
            )
            continue
        at = _moment(locked, item.checked_in_at, now)
        if rsvp.checked_in_at is not None:  # going and here, or joined online
            if at < rsvp.checked_in_at and rsvp.status == RsvpStatus.GOING:
                rsvp.checked_in_at = at  # the earlier tick is when they arrived
                rsvp.save(update_fields=["checked_in_at"])
            status, note = "already", ""
        elif rsvp.status == RsvpStatus.GOING:
            rsvp.checked_in_at, rsvp.checked_in_by = at, actor
            rsvp.save(update_fields=["checked_in_at", "checked_in_by"])
            status, note = "checked_in", ""
        else:
            was = rsvp.status
            _seat_in_the_room(locked, actor=actor, verb="gathering.capacity_raised_at_door")
            rsvp.status = RsvpStatus.GOING
            rsvp.waitlist_number = None
            rsvp.checked_in_at, rsvp.checked_in_by = at, actor
            rsvp.save(update_fields=["status", "waitlist_number", "checked_in_at", "checked_in_by"])
            status, note = "restored", _restore_note(rsvp, was)
        if status != "already":
            audit.record(
                verb="gathering.checked_in"
                if status == "checked_in"
                else "gathering.restored_at_door",
                actor=actor,
                network=locked.network,
                obj=locked,
                rsvp=rsvp.pk,
                offline=item.client_id[:64],
            )
        outcome.results.append(
            CheckInResult(
                client_id=item.client_id,
                rsvp_id=rsvp.pk,
                status=status,
                name=rsvp.name,
                checked_in_at=rsvp.checked_in_at,
                note=note,
            )
        )
    going = Rsvp.objects.filter(gathering=locked, status=RsvpStatus.GOING)
    outcome.total = going.count()
    outcome.checked = going.filter(checked_in_at__isnull=False).count()
    return outcome
