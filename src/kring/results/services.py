"""Use-cases for objectives, contributions, intentions and referrals.

Requests from third parties live in :mod:`kring.results.requests.services`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.audit import record
from kring.core.dates import check_date, check_period
from kring.core.errors import DomainError, NotAllowed
from kring.core.tasks import enqueue_on_commit
from kring.core.weblinks import check_web_url
from kring.federation import publishing
from kring.networks.access import is_host, membership_for, require_host, require_member
from kring.networks.models import Network, Role
from kring.people.models import User
from kring.public import cache as public_cache

from . import tasks
from .models import (
    MAX_AMOUNT,
    Contribution,
    HelpRequest,
    Intention,
    Objective,
    Referral,
    ReferralStatus,
    Seek,
    Unit,
    Visibility,
)

MAX_DEPTH = 3
#: Referral values above this (in cents) are refused as absurd (10 million euro).
MAX_REFERRAL_CENTS = 1_000_000_000


def _check_amount(amount: Decimal, *, field: str = "amount", allow_negative: bool = False) -> None:
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise DomainError(_("That amount is not realistic."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Use at most two decimals."), field=field)
    if not allow_negative and amount <= 0:
        raise DomainError(
            pgettext_lazy("quantity", "The amount must be more than zero."), field=field
        )


# --------------------------------------------------------------------------- objectives


def _check_parent(network: Network, parent: Objective | None, objective: Objective | None) -> None:
    if parent is None:
        return
    if parent.network_id != network.pk:
        raise DomainError(_("That objective belongs to another network."), field="parent")
    depth = 1
    node: Objective | None = parent
    while node is not None:
        if objective is not None and node.pk == objective.pk:
            raise DomainError(_("An objective cannot be part of itself."), field="parent")
        node = node.parent
        depth += 1
    if depth > MAX_DEPTH + 1:
        raise DomainError(
            _("Objectives nest at most %(n)s levels deep."), field="parent", n=MAX_DEPTH
        )


def _check_objective_fields(
    *,
    unit: str,
    custom_unit: str,
    target: Decimal,
    period_start: date,
    period_end: date,
    visibility: str,
) -> None:
    if unit not in Unit.values:
        raise DomainError(_("Choose a unit."), field="unit")
    if unit == Unit.CUSTOM and not custom_unit.strip():
        raise DomainError(_("Name your custom unit."), field="custom_unit")
    if visibility not in Visibility.values:
        raise DomainError(_("Choose who may see it."), field="visibility")
    _check_amount(target, field="target")
    check_period(period_start, period_end, start_field="period_start", end_field="period_end")


@transaction.atomic
def create_objective(
    *,
    actor: User,
    network: Network,
    title: str,
    target: Decimal,
    period_start: date,
    period_end: date,
    unit: str = Unit.HOURS,
    custom_unit: str = "",
    description: str = "",
    visibility: str = Visibility.MEMBERS,
    parent: Objective | None = None,
) -> Objective:
    require_host(actor, network)
    if not title.strip():
        raise DomainError(_("Give the objective a title."), field="title")
    _check_objective_fields(
        unit=unit,
        custom_unit=custom_unit,
        target=target,
        period_start=period_start,
        period_end=period_end,
        visibility=visibility,
    )
    _check_parent(network, parent, None)
    objective = Objective.objects.create(
        network=network,
        title=title.strip(),
        description=description,
        unit=unit,
        custom_unit=custom_unit.strip() if unit == Unit.CUSTOM else "",
        target=target,
        period_start=period_start,
        period_end=period_end,
        visibility=visibility,
        parent=parent,
        created_by=actor,
    )
    record(
        verb="results.objective_created",
        actor=actor,
        network=network,
        obj=objective,
        title=objective.title,
    )
    public_cache.invalidate(network)
    return objective


@transaction.atomic
def update_objective(*, actor: User, objective: Objective, data: dict[str, Any]) -> Objective:
    require_host(actor, objective.network)
    fields = [
        "title",
        "description",
        "unit",
        "custom_unit",
        "target",
        "period_start",
        "period_end",
        "visibility",
        "parent",
    ]
    for f in fields:
        if f in data:
            setattr(objective, f, data[f])
    _check_objective_fields(
        unit=objective.unit,
        custom_unit=objective.custom_unit,
        target=objective.target,
        period_start=objective.period_start,
        period_end=objective.period_end,
        visibility=objective.visibility,
    )
    _check_parent(objective.network, objective.parent, objective)
    if objective.unit != Unit.CUSTOM:
        objective.custom_unit = ""
    objective.save()
    record(verb="results.objective_updated", actor=actor, network=objective.network, obj=objective)
    public_cache.invalidate(objective.network_id)
    return objective


# --------------------------------------------------------------------------- contributions


@transaction.atomic
def log_contribution(
    *,
    actor: User,
    objective: Objective,
    amount: Decimal,
    on: date,
    for_whom: str = "",
    note: str = "",
    evidence_url: str = "",
    beneficiary: Any = None,
    request: HelpRequest | None = None,
    member: Any = None,
) -> Contribution:
    """A member logs what they did. Hosts may log on behalf of another member."""
    network = objective.network
    m = require_member(actor, network)
    member = member or actor
    if member != actor:
        if m.role != Role.HOST:
            raise NotAllowed(_("Only hosts can log a contribution for someone else."))
        require_member(member, network)
    _check_amount(amount)
    check_date(on, field="date")
    evidence_url = check_web_url(evidence_url, field="evidence_url")
    if on > timezone.localdate(timezone=network.tzinfo):
        raise DomainError(_("The date lies in the future."), field="date")
    if beneficiary is not None and membership_for(beneficiary, network) is None:
        raise DomainError(
            _("The beneficiary is not a member of this network."), field="beneficiary"
        )
    if request is not None and request.network_id != network.pk:
        raise DomainError(_("That request belongs to another network."), field="request")
    contribution = Contribution.objects.create(
        network=network,
        objective=objective,
        member=member,
        amount=amount,
        date=on,
        for_whom=for_whom.strip(),
        note=note,
        evidence_url=evidence_url,
        beneficiary=beneficiary,
        request=request,
        created_by=actor,
    )
    record(
        verb="results.contribution_logged",
        actor=actor,
        network=network,
        obj=contribution,
        amount=amount,
        objective=objective.pk,
    )
    publishing.objective_progressed(objective)
    public_cache.invalidate(objective.network_id)
    return contribution


@transaction.atomic
def correct_contribution(
    *, actor: User, contribution: Contribution, new_amount: Decimal, reason: str
) -> Contribution:
    """Append a correction entry carrying the difference; the original stays as it was."""
    if contribution.is_correction:
        raise DomainError(_("Correct the original entry, not a correction."))
    m = require_member(actor, contribution.network)
    if contribution.member_id != actor.pk and m.role != Role.HOST:
        raise NotAllowed(_("Only the contributor or a host can correct this."))
    if new_amount < 0:
        raise DomainError(_("The amount cannot be negative."), field="amount")
    _check_amount(new_amount, allow_negative=True)
    if not reason.strip():
        raise DomainError(_("Say why you correct it."), field="reason")
    current = contribution.amount + sum(
        (c.amount for c in contribution.corrections.all()), Decimal(0)
    )
    delta = new_amount - current
    if delta == 0:
        raise DomainError(_("That is the amount it already has."), field="amount")
    correction = Contribution.objects.create(
        network=contribution.network,
        objective=contribution.objective,
        member=contribution.member,
        amount=delta,
        date=contribution.date,
        for_whom=contribution.for_whom,
        note=reason.strip(),
        corrects=contribution,
        created_by=actor,
    )
    record(
        verb="results.contribution_corrected",
        actor=actor,
        network=contribution.network,
        obj=contribution,
        old=current,
        new=new_amount,
    )
    public_cache.invalidate(contribution.network_id)
    return correction


def may_confirm(user: Any, contribution: Contribution) -> bool:
    if contribution.confirmed_at or contribution.is_correction:
        return False
    if contribution.member_id == getattr(user, "pk", None):
        return False
    return is_host(user, contribution.network) or (
        contribution.beneficiary_id is not None and contribution.beneficiary_id == user.pk
    )


@transaction.atomic
def confirm_contribution(
    *, actor: User | None, contribution: Contribution, by_requester: bool = False
) -> Contribution:
    """A host or the beneficiary (a member, or the requester through their link) confirms."""
    if contribution.confirmed_at:
        return contribution
    if not by_requester and (actor is None or not may_confirm(actor, contribution)):
        raise NotAllowed(_("Only a host or the beneficiary can confirm this."))
    contribution.confirmed_at = timezone.now()
    contribution.confirmed_by = actor
    contribution.confirmed_by_requester = by_requester
    contribution.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_by_requester"])
    record(
        verb="results.contribution_confirmed",
        actor=actor,
        network=contribution.network,
        obj=contribution,
        by_requester=by_requester,
    )
    public_cache.invalidate(contribution.network_id)
    return contribution


# --------------------------------------------------------------------------- intentions


@transaction.atomic
def state_intention(
    *,
    actor: User,
    network: Network,
    seeks: list[str],
    gives: list[str],
    seeks_detail: str = "",
    gives_detail: str = "",
    now: datetime | None = None,
) -> Intention:
    require_member(actor, network)
    bad = [s for s in [*seeks, *gives] if s not in Seek.values]
    if bad:
        raise DomainError(_("Unknown choice: %(choice)s."), field="seeks", choice=bad[0])
    if not seeks:
        raise DomainError(_("Choose at least one thing you seek."), field="seeks")
    if Seek.OTHER in seeks and not seeks_detail.strip():
        raise DomainError(_("Say in your own words what else you seek."), field="seeks_detail")
    intention, _created = Intention.objects.update_or_create(
        network=network,
        user=actor,
        defaults={
            "seeks": sorted(set(seeks)),
            "gives": sorted(set(gives)),
            "seeks_detail": seeks_detail.strip(),
            "gives_detail": gives_detail.strip(),
            "updated_at": now or timezone.now(),
            "review_asked_at": None,
        },
    )
    record(
        verb="results.intention_stated",
        actor=actor,
        network=network,
        obj=intention,
        seeks=intention.seeks,
    )
    return intention


# --------------------------------------------------------------------------- referrals


@transaction.atomic
def pass_referral(
    *, actor: User, network: Network, to_user: Any, lead: str, contact: str = "", note: str = ""
) -> Referral:
    require_member(actor, network)
    if to_user is None or membership_for(to_user, network) is None:
        raise DomainError(_("Choose a member of this network."), field="to_user")
    if to_user.pk == actor.pk:
        raise DomainError(_("You cannot pass a lead to yourself."), field="to_user")
    if not lead.strip():
        raise DomainError(_("Describe the lead."), field="lead")
    referral = Referral.objects.create(
        network=network,
        from_user=actor,
        to_user=to_user,
        lead=lead.strip(),
        contact=contact.strip(),
        note=note,
    )
    record(verb="results.referral_passed", actor=actor, network=network, obj=referral)
    enqueue_on_commit(tasks.send_referral_received, referral.pk)
    return referral


@transaction.atomic
def update_referral(
    *, actor: User, referral: Referral, status: str, value_cents: int | None = None
) -> Referral:
    if referral.to_user_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Only the receiver of the lead can update it."))
    if status not in ReferralStatus.values or status == ReferralStatus.PASSED:
        raise DomainError(_("Choose contacted, won or not won."), field="status")
    if value_cents is not None and not 0 <= value_cents <= MAX_REFERRAL_CENTS:
        raise DomainError(_("That value is not realistic."), field="value")
    if value_cents is not None and status != ReferralStatus.WON:
        value_cents = None
    referral.status = status
    referral.value_cents = value_cents
    referral.save(update_fields=["status", "value_cents", "updated_at"])
    record(
        verb="results.referral_updated",
        actor=actor,
        network=referral.network,
        obj=referral,
        status=status,
        value_cents=value_cents,
    )
    return referral
