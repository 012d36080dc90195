"""Use-cases of the ledger: every write goes through here (HTML views and API alike).

Everything is append-only: an expense is corrected by a reversing expense, a transfer is
declined rather than deleted, and each use-case writes an audit row. Every entry that changes
a balance moves the running totals (``totals.move_balances``) in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from kring.core.audit import record
from kring.core.dates import check_date
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.files import original_name
from kring.core.templatetags.kring import format_cents
from kring.networks.access import require_host, require_member
from kring.networks.models import Membership, MembershipStatus, Network, Role
from kring.people.models import User
from kring.public import cache as public_cache

from . import integration
from .allocation import AllocationError, AmountMismatchError, split_cents, split_exact
from .models import (
    BankAccount,
    Category,
    Expense,
    ExpenseShare,
    GatheringContribution,
    LedgerSettings,
    PaymentRequest,
    PotContribution,
    SplitMethod,
    SupportRequest,
    SupportStatus,
    Transfer,
    TransferStatus,
)
from .receipts import check_receipt
from .selectors import gathering_cost_cents
from .totals import expense_deltas, move_balances, transfer_deltas

MAX_CENTS = 10_000_000_00  # ten million euros: a typo guard, not a business rule


# --- helpers -----------------------------------------------------------------------------


def _memberships(network: Network) -> dict[int, Membership]:
    return {m.user_id: m for m in Membership.objects.current().filter(network=network)}


def _check_cents(cents: Any, *, field: str = "amount_cents") -> int:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise DomainError(
            _("Give the amount in whole cents (no fractions of a cent)."), field=field
        )
    if cents <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field)
    if cents > MAX_CENTS:
        raise DomainError(_("That amount is too large."), field=field)
    return cents


def _check_people(
    ids: Any, members: Mapping[int, Membership], *, field: str = "split"
) -> list[int]:
    out = []
    for raw in ids:
        try:
            uid = int(raw)
        except (TypeError, ValueError):
            raise DomainError(_("Unknown person: %(who)s."), field=field, who=raw) from None
        if uid not in members:
            raise DomainError(
                _("Person %(who)s is not a member of this network."), field=field, who=uid
            )
        out.append(uid)
    if len(set(out)) != len(out):
        raise DomainError(_("Someone appears twice in the split."), field=field)
    return out


def compute_split(
    *,
    network: Network,
    amount_cents: int,
    method: str,
    member_ids: list[int] | None = None,
    shares: Mapping[Any, int] | None = None,
    amounts: Mapping[Any, int] | None = None,
    gathering: Any = None,
    members: Mapping[int, Membership] | None = None,
) -> dict[int, int]:
    """The split of one amount, per user id, validated against the network's members."""
    members = members if members is not None else _memberships(network)
    try:
        if method == SplitMethod.CHECKED_IN:
            if gathering is None:
                raise DomainError(
                    _("Choose the gathering whose attendees share this cost."), field="gathering_id"
                )
            ids = [u for u in integration.checked_in_user_ids(gathering) if u in members]
            if not ids:
                raise DomainError(_("Nobody is checked in at that gathering yet."), field="split")
            return split_cents(amount_cents, dict.fromkeys(ids, 1))
        if method == SplitMethod.EQUAL:
            if member_ids:
                ids = _check_people(member_ids, members)
            else:  # by default: the active members (paused members are left out)
                ids = [u for u, m in members.items() if m.status == MembershipStatus.ACTIVE]
            if not ids:
                raise DomainError(_("Choose at least one person to share the cost."), field="split")
            return split_cents(amount_cents, dict.fromkeys(ids, 1))
        if method == SplitMethod.SHARES:
            if not shares:
                raise DomainError(_("Give at least one person a share."), field="split")
            ids = _check_people(shares.keys(), members)
            weights = dict(zip(ids, shares.values(), strict=True))
            if any(
                isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights.values()
            ):
                raise DomainError(_("Shares are whole numbers, zero or more."), field="split")
            if not any(weights.values()):
                raise DomainError(_("At least one share must be more than zero."), field="split")
            return {u: c for u, c in split_cents(amount_cents, weights).items() if c}
        if method == SplitMethod.EXACT:
            if not amounts:
                raise DomainError(_("Give the amount of at least one person."), field="split")
            ids = _check_people(amounts.keys(), members)
            parts = dict(zip(ids, amounts.values(), strict=True))
            if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in parts.values()):
                raise DomainError(_("Exact amounts are whole cents, zero or more."), field="split")
            return {u: c for u, c in split_exact(amount_cents, parts).items() if c}
    except AmountMismatchError as exc:
        raise DomainError(
            _("The parts add up to %(assigned)s, not %(total)s."),
            field="split",
            assigned=format_cents(exc.assigned),
            total=format_cents(exc.total),
        ) from None
    except AllocationError as exc:
        raise DomainError(
            _("This split is not valid: %(why)s"), field="split", why=str(exc)
        ) from None
    raise DomainError(_("Unknown split method."), field="split")


def _request_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# --- expenses ----------------------------------------------------------------------------


def record_expense(
    *,
    actor: User,
    network: Network,
    payer_id: int,
    amount_cents: int,
    spent_on: date,
    description: str,
    category: str,
    split_method: str,
    member_ids: list[int] | None = None,
    shares: Mapping[Any, int] | None = None,
    amounts: Mapping[Any, int] | None = None,
    gathering_id: int | None = None,
    receipt: Any = None,
    idempotency_key: str = "",
) -> Expense:
    """Record an expense and its split.

    With an idempotency key already used by the actor: the same body returns the earlier
    expense, another body raises :class:`Conflict` (409).
    """
    idempotency_key = idempotency_digest(idempotency_key)
    body = {
        "payer_id": payer_id,
        "amount_cents": amount_cents,
        "spent_on": str(spent_on),
        "description": description,
        "category": category,
        "split_method": split_method,
        "member_ids": sorted(member_ids or []),
        "shares": {str(k): v for k, v in (shares or {}).items()},
        "amounts": {str(k): v for k, v in (amounts or {}).items()},
        "gathering_id": gathering_id,
    }
    digest = _request_hash(body)
    if idempotency_key:
        earlier = Expense.objects.filter(
            network=network, created_by_id=actor.pk, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            return _replay(earlier, digest)
    try:
        return _record_expense(
            actor=actor,
            network=network,
            payer_id=payer_id,
            amount_cents=amount_cents,
            spent_on=spent_on,
            description=description,
            category=category,
            split_method=split_method,
            member_ids=member_ids,
            shares=shares,
            amounts=amounts,
            gathering_id=gathering_id,
            receipt=receipt,
            idempotency_key=idempotency_key,
            digest=digest,
        )
    except IntegrityError:
        if not idempotency_key:
            raise
        earlier = Expense.objects.get(
            network=network, created_by_id=actor.pk, idempotency_key=idempotency_key
        )
        return _replay(earlier, digest)


def idempotency_digest(key: str) -> str:
    """What is stored for an Idempotency-Key: the SHA-256 of the whole key (never a prefix,
    so two keys that share their first characters never collide); empty stays empty."""
    key = (key or "").strip()
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def _replay(earlier: Expense, digest: str) -> Expense:
    if earlier.request_hash != digest:
        raise Conflict(_("This Idempotency-Key was already used for a different expense."))
    return earlier


@transaction.atomic
def _record_expense(
    *,
    actor: User,
    network: Network,
    payer_id: int,
    amount_cents: int,
    spent_on: date,
    description: str,
    category: str,
    split_method: str,
    member_ids: list[int] | None,
    shares: Mapping[Any, int] | None,
    amounts: Mapping[Any, int] | None,
    gathering_id: int | None,
    receipt: Any,
    idempotency_key: str,
    digest: str,
) -> Expense:
    me = require_member(actor, network)
    members = _memberships(network)
    amount_cents = _check_cents(amount_cents)
    if payer_id not in members:
        raise DomainError(_("The payer is not a member of this network."), field="payer_id")
    if payer_id != actor.pk and me.role != Role.HOST:
        raise NotAllowed(
            _("You can record your own expenses; hosts can record them for others."),
            field="payer_id",
        )
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Say what the money was for."), field="description")
    if category not in {c for c, _label in Category.choices} or category == Category.SOLIDARITY:
        raise DomainError(_("Choose a category."), field="category")
    check_date(spent_on, field="spent_on")
    if spent_on > timezone.localdate(timezone.now(), network.tzinfo):
        raise DomainError(_("The date cannot be in the future."), field="spent_on")
    gathering = None
    if gathering_id is not None:
        gathering = integration.gathering_in(network, gathering_id)
        if gathering is None:
            raise DomainError(_("No such gathering in this network."), field="gathering_id")
    parts = compute_split(
        network=network,
        amount_cents=amount_cents,
        method=split_method,
        member_ids=member_ids,
        shares=shares,
        amounts=amounts,
        gathering=gathering,
        members=members,
    )
    receipt_type = receipt_name = ""
    if receipt:
        receipt_type, ext = check_receipt(receipt)
        receipt_name = original_name(receipt, default=f"receipt.{ext}")
        receipt.name = f"receipt.{ext}"  # stored under a random name (RandomName)
    with transaction.atomic():  # savepoint: a duplicate key rolls back only this
        expense = Expense.objects.create(
            network=network,
            payer_id=payer_id,
            amount_cents=amount_cents,
            spent_on=spent_on,
            description=description[:200],
            category=category,
            split_method=split_method,
            gathering_id=gathering_id,
            receipt=receipt or "",
            receipt_type=receipt_type,
            receipt_name=receipt_name,
            created_by=actor,
            idempotency_key=idempotency_key,
            request_hash=digest,
        )
    ExpenseShare.objects.bulk_create(
        ExpenseShare(expense=expense, user_id=uid, cents=c) for uid, c in parts.items()
    )
    move_balances(network.pk, expense_deltas(payer_id, amount_cents, parts.items()))
    record(
        verb="ledger.expense_recorded",
        actor=actor,
        network=network,
        obj=expense,
        amount_cents=amount_cents,
        payer_id=payer_id,
        split=parts,
    )
    public_cache.invalidate(network)  # the public page shows the costs
    return expense


@transaction.atomic
def reverse_expense(*, actor: User, expense: Expense, reason: str) -> Expense:
    """Cancel an expense with a reversing entry (negative amount, mirrored shares)."""
    me = require_member(actor, expense.network)
    if actor.pk not in {expense.payer_id, expense.created_by_id} and me.role != Role.HOST:
        raise NotAllowed(
            _("Only the payer, the person who recorded it, or a host can reverse an expense.")
        )
    if expense.is_reversal:
        raise DomainError(_("A reversal cannot itself be reversed; record the expense again."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the correction."), field="reason")
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    if Expense.objects.filter(reverses=locked).exists():
        raise Conflict(_("This expense has already been reversed."))
    try:
        with transaction.atomic():
            rev = Expense.objects.create(
                network=locked.network,
                payer_id=locked.payer_id,
                amount_cents=-locked.amount_cents,
                spent_on=timezone.localdate(timezone.now(), locked.network.tzinfo),
                description=locked.description,
                category=locked.category,
                split_method=locked.split_method,
                gathering_id=locked.gathering_id,
                reverses=locked,
                reason=reason[:300],
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This expense has already been reversed.")) from None
    mirrored = [(s.user_id, -s.cents) for s in locked.shares.all()]
    ExpenseShare.objects.bulk_create(
        ExpenseShare(expense=rev, user_id=u, cents=c) for u, c in mirrored
    )
    move_balances(locked.network_id, expense_deltas(rev.payer_id, rev.amount_cents, mirrored))
    record(
        verb="ledger.expense_reversed",
        actor=actor,
        network=locked.network,
        obj=rev,
        reverses=locked.pk,
        reason=reason,
    )
    public_cache.invalidate(locked.network_id)
    return rev


# --- transfers and payment requests ------------------------------------------------------


@transaction.atomic
def record_transfer(
    *,
    actor: User,
    network: Network,
    payee_id: int,
    cents: int,
    paid_on: date | None = None,
    note: str = "",
    request: PaymentRequest | None = None,
) -> Transfer:
    """The actor says they paid ``payee``; it counts once the payee confirms."""
    require_member(actor, network)
    members = _memberships(network)
    cents = _check_cents(cents, field="cents")
    check_date(paid_on, field="paid_on")
    if paid_on and paid_on > timezone.localdate(timezone.now(), network.tzinfo):
        raise DomainError(_("The date cannot be in the future."), field="paid_on")
    if payee_id not in members:
        raise DomainError(_("The payee is not a member of this network."), field="payee_id")
    if payee_id == actor.pk:
        raise DomainError(_("You cannot pay yourself."), field="payee_id")
    if request is not None and (
        request.payer_id != actor.pk
        or request.payee_id != payee_id
        or request.network_id != network.pk
    ):
        raise NotAllowed(_("This payment request is not addressed to you."))
    transfer = Transfer.objects.create(
        network=network,
        payer=actor,
        payee_id=payee_id,
        cents=cents,
        paid_on=paid_on or timezone.localdate(timezone.now(), network.tzinfo),
        note=(note or "")[:200],
        request=request,
        created_by=actor,
    )
    record(
        verb="ledger.transfer_recorded",
        actor=actor,
        network=network,
        obj=transfer,
        cents=cents,
        payee_id=payee_id,
    )
    return transfer


@transaction.atomic
def decide_transfer(*, actor: User, transfer: Transfer, confirm: bool) -> Transfer:
    """The payee confirms (or reports as not received) a payment made to them."""
    if transfer.payee_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Only the person who received a payment can confirm it."))
    status = TransferStatus.CONFIRMED if confirm else TransferStatus.DECLINED
    updated = Transfer.objects.filter(pk=transfer.pk, status=TransferStatus.PENDING).update(
        status=status, decided_at=timezone.now()
    )
    if not updated:
        raise Conflict(_("This payment has already been handled."))
    transfer.refresh_from_db()
    if confirm:
        move_balances(
            transfer.network_id,
            transfer_deltas(transfer.payer_id, transfer.payee_id, transfer.cents),
        )
    record(
        verb="ledger.transfer_confirmed" if confirm else "ledger.transfer_declined",
        actor=actor,
        network=transfer.network,
        obj=transfer,
        cents=transfer.cents,
    )
    return transfer


@transaction.atomic
def request_payment(
    *, actor: User, network: Network, payer_id: int, payee_id: int, cents: int
) -> PaymentRequest:
    """Turn a settle-up suggestion into a payment request (by the payer, payee or a host)."""
    me = require_member(actor, network)
    members = _memberships(network)
    cents = _check_cents(cents, field="cents")
    if payer_id not in members or payee_id not in members:
        raise DomainError(_("Both people must be members of this network."))
    if payer_id == payee_id:
        raise DomainError(_("You cannot pay yourself."))
    if actor.pk not in {payer_id, payee_id} and me.role != Role.HOST:
        raise NotAllowed(_("Only the two people involved or a host can ask for this payment."))
    req = PaymentRequest.objects.create(
        network=network, payer_id=payer_id, payee_id=payee_id, cents=cents, created_by=actor
    )
    record(verb="ledger.payment_requested", actor=actor, network=network, obj=req, cents=cents)
    return req


# --- bank details and settings -----------------------------------------------------------


def normalise_iban(raw: str) -> str:

    try:
        return str(IBAN(raw).compact)
    except (SchwiftyException, ValueError):
        raise DomainError(_("This is not a valid IBAN."), field="iban") from None


@transaction.atomic
def set_bank_account(
    *, actor: User, network: Network, iban: str, holder: str
) -> BankAccount | None:
    require_member(actor, network)
    iban = (iban or "").strip()
    if not iban:
        BankAccount.objects.filter(network=network, user=actor).delete()
        record(verb="ledger.bank_account_removed", actor=actor, network=network)
        return None
    compact = normalise_iban(iban)
    holder = (holder or "").strip() or actor.display_name
    account, _created = BankAccount.objects.update_or_create(
        network=network,
        user=actor,
        defaults={"iban": compact, "holder": holder[:70]},
    )
    record(verb="ledger.bank_account_set", actor=actor, network=network, obj=account)
    return account


@transaction.atomic
def update_ledger_settings(
    *, actor: User, network: Network, show_costs_publicly: bool
) -> LedgerSettings:
    require_host(actor, network)
    obj, _created = LedgerSettings.objects.update_or_create(
        network=network,
        defaults={"show_costs_publicly": bool(show_costs_publicly)},
    )
    record(
        verb="ledger.settings_updated",
        actor=actor,
        network=network,
        obj=obj,
        show_costs_publicly=obj.show_costs_publicly,
    )
    return obj


@transaction.atomic
def set_contribution(
    *, actor: User, network: Network, gathering_id: int, cents: int
) -> GatheringContribution:
    """Set the cost-price contribution per attendee: never above the real costs per attendee."""

    require_host(actor, network)
    gathering = integration.gathering_in(network, gathering_id)
    if gathering is None:
        raise DomainError(_("No such gathering in this network."), field="gathering_id")
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise DomainError(_("Give the contribution in whole cents, zero or more."), field="cents")
    # Guests and walk-ins who came share the costs too (cost coverage counts everyone).
    attendees = integration.attendee_count(gathering)
    costs = gathering_cost_cents(network, gathering_id)
    ceiling = costs // attendees if attendees else 0
    if cents > ceiling:
        raise DomainError(
            _(
                "The contribution can be at most %(max)s cents per attendee: the real costs "
                "(%(costs)s cents) divided by %(n)s attendees."
            ),
            field="cents",
            max=ceiling,
            costs=costs,
            n=attendees,
        )
    obj, _created = GatheringContribution.objects.update_or_create(
        network=network,
        gathering_id=gathering_id,
        defaults={"cents": cents, "set_by": actor},
    )
    record(verb="ledger.contribution_set", actor=actor, network=network, obj=obj, cents=cents)
    return obj


# --- solidarity pot ----------------------------------------------------------------------


@transaction.atomic
def contribute_to_pot(*, actor: User, network: Network, cents: int) -> PotContribution:
    require_member(actor, network)
    cents = _check_cents(cents, field="cents")
    obj = PotContribution.objects.create(network=network, user=actor, cents=cents)
    record(verb="ledger.pot_contribution", actor=actor, network=network, obj=obj, cents=cents)
    return obj


@transaction.atomic
def ask_support(*, actor: User, network: Network, cents: int, note: str = "") -> SupportRequest:
    require_member(actor, network)
    cents = _check_cents(cents, field="cents")
    obj = SupportRequest.objects.create(
        network=network, user=actor, cents=cents, note=(note or "")[:300]
    )
    record(verb="ledger.support_requested", actor=actor, network=network, obj=obj)
    return obj


def pot_available_by_contributor(network: Network) -> dict[int, int]:
    """What each contributor still has in the pot: contributed minus what was drawn."""
    given = dict(
        PotContribution.objects.filter(network=network)
        .values("user_id")
        .annotate(t=Sum("cents"))
        .values_list("user_id", "t")
    )
    drawn = dict(
        ExpenseShare.objects.filter(expense__network=network, expense__category=Category.SOLIDARITY)
        .values("user_id")
        .annotate(t=Sum("cents"))
        .values_list("user_id", "t")
    )
    out = {u: given.get(u, 0) - drawn.get(u, 0) for u in set(given) | set(drawn)}
    return {u: c for u, c in out.items() if c > 0}


@transaction.atomic
def decide_support(*, actor: User, request: SupportRequest, grant: bool) -> SupportRequest:
    """A host covers a request from the pot (drawing on contributors pro rata) or declines it."""
    network = request.network
    require_host(actor, network)
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != SupportStatus.OPEN:
        raise Conflict(_("This request has already been handled."))
    if grant:
        list(PotContribution.objects.select_for_update().filter(network=network))
        available = pot_available_by_contributor(network)
        total = sum(available.values())
        if total < locked.cents:
            raise DomainError(
                _("The pot holds %(total)s cents, not enough for %(cents)s cents."),
                total=total,
                cents=locked.cents,
            )
        parts = {u: c for u, c in split_cents(locked.cents, available).items() if c}
        expense = Expense.objects.create(
            network=network,
            payer_id=locked.user_id,
            amount_cents=locked.cents,
            spent_on=timezone.localdate(timezone.now(), network.tzinfo),
            description=str(_("Covered by the solidarity pot")),
            category=Category.SOLIDARITY,
            split_method=SplitMethod.SHARES,
            created_by=actor,
        )
        ExpenseShare.objects.bulk_create(
            ExpenseShare(expense=expense, user_id=u, cents=c) for u, c in parts.items()
        )
        move_balances(network.pk, expense_deltas(locked.user_id, locked.cents, parts.items()))
        locked.expense = expense
    locked.status = SupportStatus.GRANTED if grant else SupportStatus.DECLINED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "expense"])
    record(
        verb="ledger.support_granted" if grant else "ledger.support_declined",
        actor=actor,
        network=network,
        obj=locked,
        cents=locked.cents,
    )
    return locked
