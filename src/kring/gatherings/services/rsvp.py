"""A member's answer: going, maybe, not going."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError
from kring.gatherings.models import (
    Gathering,
    Rsvp,
    RsvpStatus,
)
from kring.networks.access import require_member
from kring.people.models import User

from .seats import _lock, _open_for_answers, _release, _seat_or_waitlist, waitlist_position


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


@transaction.atomic
def answer_rsvp(*, actor: User, gathering: Gathering, answer: str) -> RsvpResult:
    """A member answers going / maybe / not going, or (hybrid and online gatherings) online,
    which never takes a seat. Repeating an answer changes nothing."""
    require_member(actor, gathering.network)
    answers = {RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING, RsvpStatus.ONLINE}
    if answer not in answers:
        raise DomainError(_("Answer going, maybe, not going or online."), field="answer")
    locked = _lock(gathering)
    _open_for_answers(locked)
    if answer == RsvpStatus.ONLINE and not locked.has_online:
        raise Conflict(
            _("This gathering is in person only: there is no online link to join."),
            field="answer",
        )
    if answer == RsvpStatus.GOING and not locked.has_in_person:
        answer = RsvpStatus.ONLINE  # an online-only gathering has no seats to take
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
