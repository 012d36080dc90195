"""The door and the world outside: walk-ins, joining online, inviting a guest in.

- A **walk-in** (name, optional e-mail and consent) is checked in at once and counted like any
  guest; a full room takes one more (the capacity grows by one, audited), because the person
  is already there.
- **Joining online** (hybrid and online gatherings) during the meeting window records the
  attendance (``checked_in_at`` on an ``online`` answer), which counts everywhere check-ins
  count: engagement, acquaintance, cost coverage.
- A host **invites a guest** who gave consent to join, through the network's invitation path.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.gatherings.models import Gathering, Rsvp, RsvpStatus
from kring.networks import services as networks
from kring.networks.access import require_host, require_member
from kring.networks.models import Network
from kring.people.models import User

from .seats import _lock, _release, _seat_in_the_room

#: Joining online is possible from this long before the start until the end.
JOIN_BEFORE = timedelta(minutes=30)


@transaction.atomic
def add_walk_in(
    *,
    actor: User,
    gathering: Gathering,
    name: str,
    email: str | None = None,
    consent: bool = False,
) -> Rsvp:
    """A host adds someone who walked in: checked in at once, counted like any guest."""
    require_host(actor, gathering.network)
    name = (name or "").strip()[:120]
    email = (email or "").strip().lower()
    if not name:
        raise DomainError(_("Give the walk-in's name."), field="name")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("Please give a valid e-mail address."), field="email") from exc
    locked = _lock(gathering)
    if locked.is_cancelled:
        raise Conflict(_("This gathering is cancelled."))
    now = timezone.now()
    rsvp = (
        Rsvp.objects.filter(gathering=locked, user__isnull=True, guest_email=email).first()
        if email
        else None
    )
    if rsvp is not None and rsvp.status == RsvpStatus.GOING and rsvp.checked_in_at:
        return rsvp  # already here
    if rsvp is None:
        rsvp = Rsvp(gathering=locked, guest_email=email, walk_in=True)
    had_seat = rsvp.pk is not None and rsvp.status == RsvpStatus.GOING
    if not had_seat:  # the person is here: a full room takes one more
        _seat_in_the_room(locked, actor=actor, verb="gathering.capacity_raised_for_walk_in")
    rsvp.guest_name = name or rsvp.guest_name
    rsvp.status = RsvpStatus.GOING
    rsvp.waitlist_number = None
    rsvp.joins_online = False
    if consent:
        rsvp.guest_consent_at = rsvp.guest_consent_at or now
    rsvp.answered_at = rsvp.answered_at or now
    rsvp.checked_in_at = now
    rsvp.checked_in_by = actor
    rsvp.save()
    audit.record(verb="gathering.walk_in", actor=actor, network=locked.network, obj=locked)
    return rsvp


def _join_window(gathering: Gathering) -> None:
    if not gathering.has_online or not gathering.online_url:
        raise Conflict(_("This gathering has no online link."))
    if gathering.is_cancelled:
        raise Conflict(_("This gathering is cancelled."))
    now = timezone.now()
    if now < gathering.starts_at - JOIN_BEFORE:
        raise Conflict(_("The online meeting opens half an hour before the start."))
    if now > gathering.ends_at:
        raise Conflict(_("This gathering is over."))


def _record_online(rsvp: Rsvp, by: User | None) -> Rsvp:
    if rsvp.checked_in_at is None:
        rsvp.checked_in_at = timezone.now()
        rsvp.checked_in_by = by
        rsvp.save(update_fields=["checked_in_at", "checked_in_by"])
    return rsvp


@transaction.atomic
def join_online(*, actor: User, gathering: Gathering) -> Rsvp:
    """A member clicks "join" during the meeting: their online attendance is recorded (an
    earlier "going" becomes "online" and frees the seat)."""
    require_member(actor, gathering.network)
    locked = _lock(gathering)
    _join_window(locked)
    rsvp = Rsvp.objects.filter(gathering=locked, user=actor).first()
    if rsvp is None:
        rsvp = Rsvp.objects.create(gathering=locked, user=actor, status=RsvpStatus.ONLINE)
    elif rsvp.status != RsvpStatus.ONLINE:
        if rsvp.status == RsvpStatus.GOING and rsvp.checked_in_at:
            return rsvp  # already in the room
        rsvp.gathering = locked
        _release(rsvp, RsvpStatus.ONLINE)
    _record_online(rsvp, actor)
    audit.record(verb="gathering.joined_online", actor=actor, network=locked.network, obj=locked)
    return rsvp


@transaction.atomic
def guest_join_online(*, rsvp: Rsvp) -> Rsvp:
    """A guest who chose online clicks "join" in their mail or on their page."""
    locked = _lock(rsvp.gathering)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    _join_window(locked)
    if rsvp.status != RsvpStatus.ONLINE:
        raise Conflict(_("You signed up to come in person; the online link is for online guests."))
    _record_online(rsvp, None)
    audit.record(verb="gathering.guest_joined_online", network=locked.network, obj=locked)
    return rsvp


@transaction.atomic
def invite_guest(*, actor: User, network: Network, email: str) -> Any:
    """Invite a guest who gave consent to join the network (the invitation path)."""
    require_host(actor, network)
    email = (email or "").strip().lower()
    rsvp = (
        Rsvp.objects.filter(
            gathering__network=network,
            user__isnull=True,
            guest_email=email,
            guest_consent_at__isnull=False,
        )
        .exclude(guest_email="")
        .order_by("-answered_at")
        .first()
    )
    if rsvp is None:
        raise NotAllowed(
            _("Only guests who said the hosts may contact them can be invited."), field="email"
        )
    result = networks.invite_people(
        actor=actor,
        network=network,
        rows=[networks.InviteRow(email=email, name=rsvp.guest_name[:120])],
    )
    if result.already_member:
        raise Conflict(_("%(email)s is a member already."), email=email)
    if result.already_invited:
        raise Conflict(_("%(email)s has been invited already."), email=email)
    audit.record(verb="gathering.guest_invited", actor=actor, network=network)
    return result.invited[0]
