"""Seats and the waitlist: every seat change locks the gathering row first."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict
from kring.core.tasks import enqueue_on_commit
from kring.gatherings import tasks
from kring.gatherings.models import (
    Gathering,
    GatheringStatus,
    Rsvp,
    RsvpStatus,
)
from kring.people.models import User

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


def _seat_in_the_room(gathering: Gathering, *, actor: User, verb: str) -> None:
    """A seat for someone who is already in the room (a walk-in, a check-in at the door): a
    full room takes one more, its capacity raised by one and audited under ``verb``."""
    if _take_seat(gathering.pk):
        return
    Gathering.objects.filter(pk=gathering.pk).update(
        capacity=F("capacity") + 1, seats_taken=F("seats_taken") + 1
    )
    audit.record(verb=verb, actor=actor, network=gathering.network, obj=gathering)


def _free_seat(gathering_id: int) -> None:
    Gathering.objects.filter(pk=gathering_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def _next_waitlist_number(gathering_id: int) -> int:
    Gathering.objects.filter(pk=gathering_id).update(waitlist_seq=F("waitlist_seq") + 1)
    return Gathering.objects.filter(pk=gathering_id).values_list("waitlist_seq", flat=True)[0]


def _promote(gathering: Gathering) -> list[Rsvp]:
    """Give free seats to the waitlist, first come first served; tell those promoted."""
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
        enqueue_on_commit(tasks.send_promoted, first.pk)
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
