"""Use-cases for networks, memberships and invitations."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.covers import cover_from_upload, save_cover
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.tasks import enqueue_on_commit
from kring.people.models import User
from kring.people.services import ensure_profile
from kring.public import cache as public_cache

from .access import require_host
from .models import Invitation, JoinPolicy, Membership, MembershipStatus, Network, Role
from .tasks import send_invitation

MAX_INVITATIONS_AT_ONCE = 500

NETWORK_SETTINGS_FIELDS = (
    "name",
    "city",
    "time_zone",
    "language",
    "kind",
    "purpose",
    "for_whom",
    "offer_to_third_parties",
    "charter",
    "join_policy",
    "public_page_enabled",
    "guests_without_public_page",
)


@transaction.atomic
def create_network(*, actor: User, slug: str, name: str, purpose: str, **fields: Any) -> Network:
    network = Network(slug=slug, name=name, purpose=purpose, **fields)
    try:
        network.full_clean()
    except ValidationError as exc:
        raise DomainError(
            _("Please check the network's details: %(errors)s"), errors="; ".join(exc.messages)
        ) from exc
    network.save()
    ensure_profile(actor)
    Membership.objects.create(
        network=network, user=actor, role=Role.HOST, charter_accepted_at=timezone.now()
    )
    audit.record(verb="network.created", actor=actor, network=network, obj=network)
    return network


@transaction.atomic
def update_network(*, actor: User, network: Network, data: Mapping[str, Any]) -> Network:
    require_host(actor, network)
    changed = []
    for key in NETWORK_SETTINGS_FIELDS:
        if key in data and getattr(network, key) != data[key]:
            setattr(network, key, data[key])
            changed.append(key)
    try:
        network.full_clean()
    except ValidationError as exc:
        raise DomainError(
            _("Please check the network's details: %(errors)s"), errors="; ".join(exc.messages)
        ) from exc
    network.save()
    audit.record(verb="network.updated", actor=actor, network=network, obj=network, fields=changed)
    public_cache.invalidate(network)
    return network


@transaction.atomic
def set_network_cover(*, actor: User, network: Network, upload: Any) -> Network:
    """A host gives the network a cover (checked and re-encoded; the old one is deleted)."""
    require_host(actor, network)
    renditions = cover_from_upload(upload)
    locked = Network.objects.select_for_update().get(pk=network.pk)
    save_cover(locked, renditions)
    audit.record(verb="network.cover_set", actor=actor, network=locked, obj=locked)
    public_cache.invalidate(locked)  # the public page shows it
    return locked


@transaction.atomic
def remove_network_cover(*, actor: User, network: Network) -> Network:
    require_host(actor, network)
    locked = Network.objects.select_for_update().get(pk=network.pk)
    if locked.has_cover:
        save_cover(locked, None)
        audit.record(verb="network.cover_removed", actor=actor, network=locked, obj=locked)
        public_cache.invalidate(locked)
    return locked


# --- Invitations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteRow:
    email: str
    name: str = ""


@dataclass
class InviteResult:
    invited: list[Invitation]
    already_member: list[str]
    already_invited: list[str]
    invalid: list[str]


def parse_invite_list(text: str) -> tuple[list[InviteRow], list[str]]:
    """Parse pasted lines or CSV: ``name, email`` / ``email`` / ``Name <email>`` per line.

    Returns the valid rows (unique by e-mail, first wins) and the lines that were not valid.
    """
    rows: list[InviteRow] = []
    invalid: list[str] = []
    seen: set[str] = set()
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for record in csv.reader(io.StringIO(text), delimiter=delimiter):
        cells = [c.strip() for c in record if c.strip()]
        if not cells:
            continue
        email, name = "", ""
        for cell in cells:
            candidate = cell
            if "<" in cell and cell.endswith(">"):
                name_part, _sep, candidate = cell[:-1].partition("<")
                name = name or name_part.strip().strip('"')
            if "@" in candidate and not email:
                email = candidate.strip().lower()
            elif not name:
                name = cell
        if email.lower() in {"email", "e-mail"} or (
            not email and cells[0].lower() in {"name", "naam"}
        ):
            continue  # a header row
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(", ".join(cells))
            continue
        if email in seen:
            continue
        seen.add(email)
        rows.append(InviteRow(email=email, name=name[:120]))
    return rows, invalid


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(24)
    return raw, Invitation.hash_token(raw)


@transaction.atomic
def invite_people(
    *,
    actor: User,
    network: Network,
    rows: Iterable[InviteRow],
    role: str = Role.MEMBER,
    invalid: Iterable[str] = (),
) -> InviteResult:
    require_host(actor, network)
    rows = list(rows)
    if not rows and not list(invalid):
        raise DomainError(_("Add at least one e-mail address."), field="emails")
    if len(rows) > MAX_INVITATIONS_AT_ONCE:
        raise DomainError(
            _("At most %(max)s invitations at once, please."), max=MAX_INVITATIONS_AT_ONCE
        )
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    emails = [r.email for r in rows]
    members = set(
        Membership.objects.current()
        .filter(network=network, user__email__in=emails)
        .values_list("user__email", flat=True)
    )
    pending = set(
        Invitation.objects.pending()
        .filter(network=network, email__in=emails)
        .values_list("email", flat=True)
    )
    result = InviteResult(invited=[], already_member=[], already_invited=[], invalid=list(invalid))
    now = timezone.now()
    for row in rows:
        if row.email in members:
            result.already_member.append(row.email)
            continue
        if row.email in pending:
            result.already_invited.append(row.email)
            continue
        raw, token_hash = _new_token()
        invitation = Invitation.objects.create(
            network=network,
            email=row.email,
            name=row.name,
            role=role,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=now + timedelta(days=Invitation.VALID_DAYS),
        )
        result.invited.append(invitation)
        _send_invitation_after_commit(invitation, raw)
    audit.record(verb="invitations.sent", actor=actor, network=network, count=len(result.invited))
    return result


def _send_invitation_after_commit(invitation: Invitation, raw: str) -> None:

    enqueue_on_commit(send_invitation, invitation.pk, raw)


@transaction.atomic
def resend_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    require_host(actor, invitation.network)
    if invitation.accepted_at:
        raise Conflict(_("This invitation has already been accepted."))
    raw, token_hash = _new_token()
    invitation.token_hash = token_hash
    invitation.revoked_at = None
    invitation.expires_at = timezone.now() + timedelta(days=Invitation.VALID_DAYS)
    invitation.save(update_fields=["token_hash", "revoked_at", "expires_at"])
    _send_invitation_after_commit(invitation, raw)
    audit.record(verb="invitation.resent", actor=actor, network=invitation.network, obj=invitation)
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    require_host(actor, invitation.network)
    if invitation.accepted_at:
        raise Conflict(_("This invitation has already been accepted."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(verb="invitation.revoked", actor=actor, network=invitation.network, obj=invitation)
    return invitation


def invitation_by_token(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("network", "invited_by__profile")
        .filter(token_hash=Invitation.hash_token(raw))
        .first()
    )


@transaction.atomic
def accept_invitation(*, actor: User, invitation: Invitation, accept_charter: bool) -> Membership:
    state = invitation.state
    if state == "accepted" and invitation.accepted_by_id == actor.pk:
        return Membership.objects.get(network=invitation.network, user=actor)
    if state != "pending":
        raise Conflict(
            _("This invitation is %(state)s. Ask a host for a new one."),
            state=invitation.state_label,
        )
    network = invitation.network
    if network.charter and not accept_charter:
        raise DomainError(_("Please accept the charter to join."), field="accept_charter")
    membership = _join(actor=actor, network=network, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(verb="invitation.accepted", actor=actor, network=network, obj=invitation)
    return membership


def _join(*, actor: User, network: Network, role: str) -> Membership:
    now = timezone.now()
    ensure_profile(actor)
    membership = Membership.objects.filter(network=network, user=actor).first()
    if membership is not None and membership.status != MembershipStatus.LEFT:
        return membership
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    network=network, user=actor, role=role, charter_accepted_at=now
                )
        except IntegrityError:
            return Membership.objects.get(network=network, user=actor)
    else:
        membership.status = MembershipStatus.ACTIVE
        membership.role = role
        membership.charter_accepted_at = now
        membership.status_changed_at = now
        membership.save()
    audit.record(verb="membership.joined", actor=actor, network=network, obj=membership)
    return membership


@transaction.atomic
def join_open_network(*, actor: User, network: Network, accept_charter: bool) -> Membership:
    if network.join_policy != JoinPolicy.OPEN:
        raise NotAllowed(_("This network does not take members directly."))
    if network.charter and not accept_charter:
        raise DomainError(_("Please accept the charter to join."), field="accept_charter")
    return _join(actor=actor, network=network, role=Role.MEMBER)


@transaction.atomic
def change_member_role(*, actor: User, membership: Membership, role: str) -> Membership:
    require_host(actor, membership.network)
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if membership.role == Role.HOST and role != Role.HOST:
        hosts = Membership.objects.current().hosts().filter(network=membership.network).count()
        if hosts <= 1:
            raise Conflict(_("A network needs at least one host."))
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        verb="membership.role_changed",
        actor=actor,
        network=membership.network,
        obj=membership,
        role=role,
    )
    return membership


@transaction.atomic
def set_membership_status(*, actor: User, membership: Membership, status: str) -> Membership:
    """A member pauses, resumes or leaves; a host may do it for someone else."""
    if membership.user_id != actor.pk:
        require_host(actor, membership.network)
    if status not in MembershipStatus.values or status == MembershipStatus.ERASED:
        raise DomainError(_("Unknown status."), field="status")
    if membership.status == MembershipStatus.ERASED:
        raise Conflict(_("This person deleted their account."))
    if status == MembershipStatus.LEFT and membership.role == Role.HOST:
        hosts = Membership.objects.current().hosts().filter(network=membership.network).count()
        if hosts <= 1:
            raise Conflict(_("A network needs at least one host. Make someone else host first."))
    membership.status = status
    membership.status_changed_at = timezone.now()
    membership.save(update_fields=["status", "status_changed_at"])
    audit.record(
        verb=f"membership.{status}", actor=actor, network=membership.network, obj=membership
    )
    return membership


@transaction.atomic
def admit_member(
    *, actor: User | None, network: Network, user: User, role: str = Role.MEMBER
) -> Membership:
    """Make ``user`` a member (e.g. an accepted application); the charter counts as accepted.

    ``actor`` is the host who admitted them (None for automatic admissions). Idempotent.
    """
    if actor is not None:
        require_host(actor, network)
    membership = _join(actor=user, network=network, role=role)
    audit.record(verb="membership.admitted", actor=actor, network=network, obj=membership)
    return membership
