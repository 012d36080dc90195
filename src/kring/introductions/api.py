"""JSON API for introductions: rounds (hosts), my introductions, met, acquaintance."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kring.api.schemas import ERRORS
from kring.core.errors import DomainError
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest

from . import reasons, selectors, services
from .models import Introduction, Outcome, Round, RoundKind, RoundStatus

router = Router(tags=["introductions"])


class RoundIn(Schema):
    kind: Literal["pairs", "tables"] = "pairs"
    gathering_id: int | None = None
    table_size: int | None = None
    rounds: int | None = None
    seed: int | None = None


class PersonOut(Schema):
    id: int
    display_name: str


class GuestOut(Schema):
    #: The guest's answer to the gathering (the ``id`` the walk-ins endpoint returns).
    id: int
    name: str
    walk_in: bool


class GroupOut(Schema):
    id: int
    rotation: int
    table: int
    members: list[PersonOut]
    #: Guests and walk-ins seated at this table (table plans), by name.
    guests: list[GuestOut] = []
    score: float
    reasons: list[str]
    details: list[Any]


class SeatIn(Schema):
    """Who to seat (one of the two) and, optionally, at which table (0-based)."""

    guest_id: int | None = None
    user_id: int | None = None
    table: int | None = None


class RoundOut(Schema):
    id: int
    network: str
    kind: str
    status: str
    created_at: str
    published_at: str | None
    total: float
    upper_bound: float
    quality: float | None
    gathering_id: int | None
    table_size: int | None
    rotations: int | None
    groups: list[GroupOut]


class IntroductionOut(Schema):
    id: int
    round_id: int
    published_at: str | None
    partners: list[PersonOut]
    reasons: list[str]
    proposed_when: str
    proposed_where: str
    outcome: str
    note: str | None = None


class MetIn(Schema):
    outcome: Literal["met", "skipped", "pending"] = "met"
    note: str = ""


class AcquaintanceOut(Schema):
    pairs_met: int
    pairs_total: int
    coverage: float
    members: int
    by_source: dict[str, int]
    met_rate: float
    rounds_to_everyone: int | None


def _group_out(intro: Introduction, viewer_id: int | None) -> dict[str, Any]:
    participants = list(intro.participants.all())
    names = selectors.member_names(participants)
    sentences = [
        s
        for item in reasons.for_group(intro.details, names=names, viewer_id=viewer_id)
        for s in item["sentences"]
    ]
    return {
        "id": intro.pk,
        "rotation": intro.rotation,
        "table": intro.table,
        "members": [{"id": uid, "display_name": name} for uid, name in names.items()],
        "guests": [
            {"id": p.guest.pk, "name": p.guest.guest_name, "walk_in": p.guest.walk_in}
            for p in participants
            if p.guest is not None
        ],
        "score": intro.score,
        "reasons": sentences,
        "details": intro.details,
    }


def _round_out(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "network": round_.network.slug,
        "kind": round_.kind,
        "status": round_.status,
        "created_at": round_.created_at.isoformat(),
        "published_at": round_.published_at.isoformat() if round_.published_at else None,
        "total": round_.total,
        "upper_bound": round_.upper_bound,
        "quality": round_.quality if round_.kind == RoundKind.PAIRS else None,
        "gathering_id": round_.gathering_id,
        "table_size": round_.table_size,
        "rotations": round_.rotations,
        "groups": [_group_out(g, None) for g in selectors.round_groups(round_)],
    }


@router.post(
    "/networks/{slug}/introduction-rounds",
    response={201: RoundOut, **ERRORS},
    summary="Start a round (hosts): 1:1 introductions or a table plan, as a preview",
)
def create_round(request: AuthedRequest, slug: str, data: RoundIn) -> Status:
    acc = access_network(request.user, slug, host=True)
    if data.kind == "tables":
        if data.gathering_id is None or data.table_size is None or data.rounds is None:
            raise DomainError(
                _("A table plan needs gathering_id, table_size and rounds."), field="gathering_id"
            )
        round_ = services.start_round(
            actor=request.user,
            network=acc.network,
            kind="tables",
            gathering_id=data.gathering_id,
            table_size=data.table_size,
            rotations=data.rounds,
            seed=data.seed,
        )
    else:
        round_ = services.start_round(actor=request.user, network=acc.network, seed=data.seed)
    return Status(201, _round_out(round_))


@router.get(
    "/introduction-rounds/{round_id}",
    response={200: RoundOut, **ERRORS},
    summary="One round (hosts; members see published table plans)",
)
def get_round(request: AuthedRequest, round_id: int) -> dict:
    round_ = Round.objects.select_related("network").filter(pk=round_id).first()
    if round_ is None:
        raise Http404(_("No such round."))
    acc = access_network(request.user, round_.network.slug)
    if not acc.is_host and not (
        round_.status == RoundStatus.PUBLISHED and round_.kind == RoundKind.TABLES
    ):
        raise Http404(_("No such round."))
    return _round_out(round_)


@router.post(
    "/introduction-rounds/{round_id}/publish",
    response={200: RoundOut, **ERRORS},
    summary="Publish a previewed round (hosts)",
)
def publish(request: AuthedRequest, round_id: int) -> dict:
    round_ = Round.objects.select_related("network").filter(pk=round_id).first()
    if round_ is None:
        raise Http404(_("No such round."))
    access_network(request.user, round_.network.slug, host=True)
    return _round_out(services.publish_round(actor=request.user, round_=round_))


@router.post(
    "/introduction-rounds/{round_id}/seats",
    response={200: RoundOut, **ERRORS},
    summary="Seat a late arrival at a table plan (hosts): a walk-in, guest or member going",
)
def seat(request: AuthedRequest, round_id: int, data: SeatIn) -> dict:
    round_ = Round.objects.select_related("network").filter(pk=round_id).first()
    if round_ is None:
        raise Http404(_("No such round."))
    access_network(request.user, round_.network.slug, host=True)
    round_ = services.seat_late_arrival(
        actor=request.user,
        round_=round_,
        guest_id=data.guest_id,
        user_id=data.user_id,
        table=data.table,
    )
    return _round_out(round_)


def _intro_out(intro: Introduction, viewer_id: int) -> dict[str, Any]:
    g = _group_out(intro, viewer_id)
    mine = next((p for p in intro.participants.all() if p.user_id == viewer_id), None)
    return {
        "id": intro.pk,
        "round_id": intro.round_id,
        "published_at": intro.round.published_at.isoformat() if intro.round.published_at else None,
        "partners": [m for m in g["members"] if m["id"] != viewer_id],
        "reasons": g["reasons"],
        "proposed_when": intro.proposed_when,
        "proposed_where": intro.proposed_where,
        "outcome": mine.outcome if mine else Outcome.PENDING,
        "note": mine.note if mine else None,
    }


@router.get(
    "/networks/{slug}/introductions",
    response={200: list[IntroductionOut], **ERRORS},
    summary="Introductions (mine=true: my own, newest first)",
)
def list_introductions(request: AuthedRequest, slug: str, mine: bool = True) -> list[dict]:
    acc = access_network(request.user, slug, host=not mine)
    if mine:
        intros = selectors.my_introductions(acc.network, request.user)
        return [_intro_out(i, request.user.pk) for i in intros]
    out = []
    for r in selectors.rounds_of(acc.network, include_drafts=False).filter(kind=RoundKind.PAIRS):
        for g in selectors.round_groups(r):
            g.round = r
            item = _intro_out(g, 0)
            item["note"] = None
            out.append(item)
    return out


@router.post(
    "/introductions/{intro_id}/met",
    response={200: IntroductionOut, **ERRORS},
    summary="Mark my introduction as met (or skipped), with an optional private note",
)
def mark_met(request: AuthedRequest, intro_id: int, data: MetIn | None = None) -> dict:
    data = data or MetIn()
    intro = (
        Introduction.objects.select_related("round__network")
        .filter(pk=intro_id, participants__user=request.user, round__status=RoundStatus.PUBLISHED)
        .first()
    )
    if intro is None:
        raise Http404(_("No such introduction."))
    access_network(request.user, intro.round.network.slug)
    services.record_outcome(
        actor=request.user, introduction=intro, outcome=data.outcome, note=data.note
    )
    mine = selectors.my_introductions(intro.round.network, request.user)
    found = next(i for i in mine if i.pk == intro_id)
    return _intro_out(found, request.user.pk)


@router.get(
    "/networks/{slug}/acquaintance",
    response={200: AcquaintanceOut, **ERRORS},
    summary="Who has met whom: coverage and projection",
)
def acquaintance(request: AuthedRequest, slug: str) -> dict:
    acc = access_network(request.user, slug)
    s = selectors.acquaintance_summary(acc.network)
    return {
        k: s[k]
        for k in (
            "pairs_met",
            "pairs_total",
            "coverage",
            "members",
            "by_source",
            "met_rate",
            "rounds_to_everyone",
        )
    }
