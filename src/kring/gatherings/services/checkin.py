"""Ticking people off at the door, by a host or by the member with the venue's code."""

from __future__ import annotations

import secrets
from datetime import timedelta

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
from kring.networks.access import require_host, require_member
from kring.people.models import User

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
    require_member(actor, gathering.network)
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
