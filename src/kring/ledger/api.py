"""The ledger's JSON API: the same services and selectors as the HTML pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from kring.api.schemas import ERRORS, IsoDate
from kring.core.dates import check_period
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest

from . import selectors, services
from .models import Expense, SplitMethod, Transfer

router = Router()


class SplitIn(Schema):
    method: Literal["equal", "shares", "exact", "checked_in"]
    member_ids: list[int] | None = None
    shares: dict[int, int] | None = None
    amounts: dict[int, int] | None = None


class ExpenseIn(Schema):
    payer_id: int
    amount_cents: int = Field(..., strict=True)
    description: str = Field(..., max_length=200)
    date: IsoDate
    category: str
    gathering_id: int | None = None
    split: SplitIn


class ShareOut(Schema):
    member_id: int
    cents: int


class ExpenseOut(Schema):
    id: int
    payer_id: int
    amount_cents: int
    description: str
    date: dt.date
    category: str
    gathering_id: int | None
    split_method: str
    reverses_id: int | None
    reason: str
    receipt_url: str | None
    shares: list[ShareOut]


class BalanceOut(Schema):
    member_id: int
    balance_cents: int


class SettleOut(Schema):
    payer_id: int
    payee_id: int
    cents: int


class TransferIn(Schema):
    payee_id: int
    cents: int = Field(..., strict=True)
    date: IsoDate | None = None
    note: str = Field("", max_length=200)


class TransferOut(Schema):
    id: int
    payer_id: int
    payee_id: int
    cents: int
    date: dt.date
    status: str


class ReverseIn(Schema):
    reason: str = Field(..., max_length=300)


def _expense_out(e: Expense) -> dict:
    return {
        "id": e.pk,
        "payer_id": e.payer_id,
        "amount_cents": e.amount_cents,
        "description": e.description,
        "date": e.spent_on,
        "category": e.category,
        "gathering_id": e.gathering_id,
        "split_method": e.split_method,
        "reverses_id": e.reverses_id,
        "reason": e.reason,
        "receipt_url": reverse("ledger:receipt", args=[e.network.slug, e.pk])
        if e.receipt
        else None,
        "shares": [
            {"member_id": s.user_id, "cents": s.cents}
            for s in sorted(e.shares.all(), key=lambda s: s.user_id)
        ],
    }


def _transfer_out(t: Transfer) -> dict:
    return {
        "id": t.pk,
        "payer_id": t.payer_id,
        "payee_id": t.payee_id,
        "cents": t.cents,
        "date": t.paid_on,
        "status": t.status,
    }


@router.get(
    "/networks/{slug}/expenses",
    response={200: list[ExpenseOut], **ERRORS},
    summary="The network's ledger of expenses (with reversals)",
)
def list_expenses(
    request: AuthedRequest, slug: str, start: IsoDate | None = None, end: IsoDate | None = None
) -> list[dict]:
    acc = access_network(request.user, slug)
    check_period(start, end)
    qs = (
        Expense.objects.filter(network=acc.network)
        .select_related("network")
        .prefetch_related("shares")
    )
    if start:
        qs = qs.filter(spent_on__gte=start)
    if end:
        qs = qs.filter(spent_on__lte=end)
    return [_expense_out(e) for e in qs[:1000]]


@router.post(
    "/networks/{slug}/expenses",
    response={201: ExpenseOut, **ERRORS},
    summary="Record an expense (honours the Idempotency-Key header)",
)
def create_expense(request: AuthedRequest, slug: str, payload: ExpenseIn) -> Status:
    acc = access_network(request.user, slug)
    split = payload.split
    method = {
        "equal": SplitMethod.EQUAL,
        "shares": SplitMethod.SHARES,
        "exact": SplitMethod.EXACT,
        "checked_in": SplitMethod.CHECKED_IN,
    }[split.method]
    expense = services.record_expense(
        actor=request.user,
        network=acc.network,
        payer_id=payload.payer_id,
        amount_cents=payload.amount_cents,
        spent_on=payload.date,
        description=payload.description,
        category=payload.category,
        split_method=method,
        member_ids=split.member_ids,
        shares=split.shares,
        amounts=split.amounts,
        gathering_id=payload.gathering_id,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201, _expense_out(expense))


@router.get(
    "/networks/{slug}/balances",
    response={200: list[BalanceOut], **ERRORS},
    summary="Every member's balance (positive: is owed money)",
)
def list_balances(request: AuthedRequest, slug: str) -> list[dict]:
    acc = access_network(request.user, slug)
    return [
        {"member_id": u, "balance_cents": c}
        for u, c in sorted(selectors.balances(acc.network).items())
    ]


@router.get(
    "/networks/{slug}/settle-up",
    response={200: list[SettleOut], **ERRORS},
    summary="The fewest payments that bring every balance to zero",
)
def settle(request: AuthedRequest, slug: str) -> list[dict]:
    acc = access_network(request.user, slug)
    return [
        {"payer_id": t.payer, "payee_id": t.payee, "cents": t.cents}
        for t in selectors.settle_suggestions(acc.network)
    ]


@router.post(
    "/networks/{slug}/transfers",
    response={201: TransferOut, **ERRORS},
    summary="Record a payment you made to another member",
)
def create_transfer(request: AuthedRequest, slug: str, payload: TransferIn) -> Status:
    acc = access_network(request.user, slug)
    t = services.record_transfer(
        actor=request.user,
        network=acc.network,
        payee_id=payload.payee_id,
        cents=payload.cents,
        paid_on=payload.date,
        note=payload.note,
    )
    return Status(201, _transfer_out(t))


@router.post(
    "/transfers/{transfer_id}/confirm",
    response={200: TransferOut, **ERRORS},
    summary="Confirm a payment made to you",
)
def confirm_transfer(request: AuthedRequest, transfer_id: int) -> dict:
    t = get_object_or_404(Transfer, pk=transfer_id)
    access_network(request.user, t.network.slug)
    return _transfer_out(services.decide_transfer(actor=request.user, transfer=t, confirm=True))


@router.post(
    "/expenses/{expense_id}/reverse",
    response={201: ExpenseOut, **ERRORS},
    summary="Reverse an expense with a reason (append-only correction)",
)
def reverse_expense(request: AuthedRequest, expense_id: int, payload: ReverseIn) -> Status:
    e = get_object_or_404(Expense, pk=expense_id)
    access_network(request.user, e.network.slug)
    rev = services.reverse_expense(actor=request.user, expense=e, reason=payload.reason)
    return Status(201, _expense_out(rev))
