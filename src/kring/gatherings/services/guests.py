"""Guests without an account sign up for open gatherings and confirm by e-mail."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound
from kring.core.tasks import enqueue_on_commit
from kring.gatherings import tasks
from kring.gatherings.models import (
    Gathering,
    Rsvp,
    RsvpStatus,
)
from kring.gatherings.tokens import guest_link_token, hash_token

from .seats import _lock, _open_for_answers, _release, _seat_or_waitlist


@transaction.atomic
def register_guest(
    *,
    gathering: Gathering,
    name: str,
    email: str,
    consent: bool = False,
    online: bool = False,
    confirmed: bool = False,
) -> Rsvp:
    """A guest signs up for an open gathering; the seat is taken once they confirm by e-mail.

    ``confirmed``: the sign-up is already confirmed elsewhere (a signed fediverse ``Join``):
    the seat or waitlist place is taken at once, by the same rules, and no mail is sent.

    ``consent``: "the hosts may contact me about this network", stored with the time (a new
    sign-up without it withdraws an earlier one). ``online``: join a hybrid gathering online
    (no seat is taken)."""
    name = (name or "").strip()[:120]
    email = (email or "").strip().lower()
    if not name:
        raise DomainError(_("Please give your name."), field="name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Please give a valid e-mail address."), field="email") from exc
    if not gathering.network.accepts_guests:
        raise NotFound(_("This gathering is not open to guests."))
    locked = _lock(gathering)
    if not locked.open_to_guests:
        raise NotAllowed(_("This gathering is not open to guests."))
    _open_for_answers(locked)
    raw = secrets.token_urlsafe(24)
    rsvp = Rsvp.objects.filter(gathering=locked, user__isnull=True, guest_email=email).first()
    taken = {RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.ONLINE}
    if rsvp is not None and rsvp.status in taken:
        raise Conflict(
            _("This e-mail address is already registered for this gathering."), field="email"
        )
    if rsvp is None:
        rsvp = Rsvp(gathering=locked, guest_email=email)
    if online and not locked.has_online:
        raise Conflict(_("This gathering is in person only."), field="online")
    rsvp.guest_name = name
    rsvp.guest_consent_at = timezone.now() if consent else None
    rsvp.joins_online = online or not locked.has_in_person
    rsvp.status = RsvpStatus.UNCONFIRMED
    rsvp.waitlist_number = None
    rsvp.guest_token_hash = hash_token(raw)
    rsvp.answered_at = timezone.now()
    if confirmed:
        rsvp.gathering = locked
        if rsvp.joins_online:
            rsvp.status = RsvpStatus.ONLINE  # no seat taken
        else:
            _seat_or_waitlist(rsvp)
        rsvp.save()
        audit.record(
            verb="gathering.guest_confirmed", network=locked.network, obj=locked, status=rsvp.status
        )
        return rsvp
    rsvp.save()
    enqueue_on_commit(tasks.send_guest_confirmation, rsvp.pk, raw)
    audit.record(verb="gathering.guest_registered", network=locked.network, obj=locked)
    return rsvp


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
    if rsvp.status in {RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.ONLINE}:
        return rsvp
    _open_for_answers(locked)
    rsvp.answered_at = timezone.now()
    if rsvp.joins_online:
        rsvp.status = RsvpStatus.ONLINE  # no seat taken
        rsvp.waitlist_number = None
    else:
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
