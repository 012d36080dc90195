"""JSON API of the results app; shares the services with the HTML views."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from pydantic import Field

from kring.api.schemas import ERRORS, IsoDate
from kring.core import antispam
from kring.core.errors import DomainError
from kring.networks.access import access_network, access_network_by_id, public_network
from kring.people.auth import AuthedRequest
from kring.people.models import User

from . import selectors, services
from .models import Contribution, HelpRequest, Intention, Objective, RequestStatus
from .requests import services as request_services

router = Router()


class ObjectiveIn(Schema):
    title: str = Field(max_length=160)
    description: str = Field("", max_length=3000)
    unit: str = "hours"
    custom_unit: str = Field("", max_length=40)
    target: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    period_start: IsoDate
    period_end: IsoDate
    visibility: str = "members"
    parent_id: int | None = None


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    unit: str
    unit_label: str
    target: Decimal
    period_start: date
    period_end: date
    visibility: str
    parent_id: int | None
    progress: Decimal
    share: float


class ContributionIn(Schema):
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    date: IsoDate
    for_whom: str = Field("", max_length=160)
    note: str = Field("", max_length=2000)
    evidence_url: str = Field("", max_length=500)
    beneficiary_id: int | None = None


class ContributionOut(Schema):
    id: int
    objective_id: int
    member_id: int
    member: str
    amount: Decimal
    date: date
    for_whom: str
    note: str
    evidence_url: str
    corrects_id: int | None
    confirmed: bool


class RequestIn(Schema):
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    organisation: str = Field("", max_length=160)
    need: str = Field(max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=8)
    altcha: str = Field("", max_length=4000, description="The solved proof-of-work payload.")
    website: str = Field("", max_length=200, description="Honeypot: leave empty.")


class RequestCreated(Schema):
    received: bool = True


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str


class RequestOut(Schema):
    id: int
    status: str
    declined: bool
    name: str
    organisation: str
    need: str
    tags: list[str]
    created_at: Any
    helpers: list[int]
    email: str | None = None


class StatusIn(Schema):
    status: str


class IntentionOut(Schema):
    member_id: int
    member: str
    seeks: list[str]
    seeks_detail: str
    gives: list[str]
    gives_detail: str
    updated_at: Any


def _objective_out(p: selectors.Progress) -> dict[str, Any]:
    o = p.objective
    return {
        "id": o.pk,
        "title": o.title,
        "description": o.description,
        "unit": o.unit,
        "unit_label": o.unit_label,
        "target": o.target,
        "period_start": o.period_start,
        "period_end": o.period_end,
        "visibility": o.visibility,
        "parent_id": o.parent_id,
        "progress": p.total,
        "share": round(p.share, 4),
    }


def _contribution_out(c: Contribution) -> dict[str, Any]:
    return {
        "id": c.pk,
        "objective_id": c.objective_id,
        "member_id": c.member_id,
        "member": c.member.display_name,
        "amount": c.amount,
        "date": c.date,
        "for_whom": c.for_whom,
        "note": c.note,
        "evidence_url": c.evidence_url,
        "corrects_id": c.corrects_id,
        "confirmed": c.confirmed_at is not None,
    }


def _request_out(r: HelpRequest, host: bool) -> dict[str, Any]:
    return {
        "id": r.pk,
        "status": r.status,
        "declined": r.declined,
        "name": r.name,
        "organisation": r.organisation,
        "need": r.need,
        "tags": r.tags,
        "created_at": r.created_at,
        "helpers": [h.user_id for h in r.helpers.all() if h.accepted],
        "email": r.email if host else None,
    }


@router.get(
    "/networks/{slug}/objectives",
    response={200: list[ObjectiveOut], **ERRORS},
    summary="Objectives with rolled-up progress",
)
def list_objectives(request: AuthedRequest, slug: str) -> list[dict[str, Any]]:
    acc = access_network(request.user, slug)
    return [_objective_out(p) for p in selectors.flatten(selectors.objective_tree(acc.network))]


@router.post(
    "/networks/{slug}/objectives",
    response={201: ObjectiveOut, **ERRORS},
    summary="Create an objective (hosts)",
)
def create_objective(request: AuthedRequest, slug: str, data: ObjectiveIn) -> Status:
    acc = access_network(request.user, slug, host=True)
    parent = None
    if data.parent_id is not None:
        parent = Objective.objects.filter(pk=data.parent_id, network=acc.network).first()
        if parent is None:
            raise DomainError(_("That objective belongs to another network."), field="parent_id")
    objective = services.create_objective(
        actor=request.user,
        network=acc.network,
        title=data.title,
        description=data.description,
        unit=data.unit,
        custom_unit=data.custom_unit,
        target=data.target,
        period_start=data.period_start,
        period_end=data.period_end,
        visibility=data.visibility,
        parent=parent,
    )
    return Status(201, _objective_out(selectors.progress_of(objective)))


def _objective_for(request: HttpRequest, objective_id: int) -> Objective:
    objective = Objective.objects.select_related("network").filter(pk=objective_id).first()
    if objective is None:
        raise Http404("No such objective.")
    access_network_by_id(request.user, objective.network_id)
    return objective


@router.get(
    "/objectives/{objective_id}/contributions",
    response={200: list[ContributionOut], **ERRORS},
    summary="Contributions",
)
def list_contributions(request: AuthedRequest, objective_id: int) -> list[dict[str, Any]]:
    objective = _objective_for(request, objective_id)
    qs = objective.contributions.select_related("member__profile")[:1000]
    return [_contribution_out(c) for c in qs]


@router.post(
    "/objectives/{objective_id}/contributions",
    response={201: ContributionOut, **ERRORS},
    summary="Log a contribution",
)
def create_contribution(request: AuthedRequest, objective_id: int, data: ContributionIn) -> Status:
    objective = _objective_for(request, objective_id)
    beneficiary = (
        User.objects.filter(pk=data.beneficiary_id).first() if data.beneficiary_id else None
    )
    if data.beneficiary_id and beneficiary is None:
        raise DomainError(
            _("The beneficiary is not a member of this network."), field="beneficiary_id"
        )
    c = services.log_contribution(
        actor=request.user,
        objective=objective,
        amount=data.amount,
        on=data.date,
        for_whom=data.for_whom,
        note=data.note,
        evidence_url=data.evidence_url,
        beneficiary=beneficiary,
    )
    return Status(201, _contribution_out(c))


@router.get(
    "/networks/{slug}/requests/challenge",
    response={200: ChallengeOut, **ERRORS},
    auth=None,
    summary="A proof-of-work challenge for filing a request (public)",
)
def request_challenge(request: AuthedRequest, slug: str) -> dict[str, Any]:
    public_network(slug)
    return antispam.create_challenge()


@router.post(
    "/networks/{slug}/requests",
    response={202: RequestCreated, **ERRORS},
    auth=None,
    summary="Ask the network for help (public, rate-limited, challenge required)",
)
def create_request(request: AuthedRequest, slug: str, data: RequestIn) -> Status:
    """Solve a challenge from ``GET .../requests/challenge`` (ALTCHA format) and send the
    base64 payload as ``altcha``. Answers 202 whether or not the submission was kept."""
    network = public_network(slug)
    try:
        validate_email(data.email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    verdict = antispam.verify_payload(
        request, scope="results.ask", honeypot=data.website, altcha=data.altcha, email=data.email
    )
    if verdict.is_bot:
        return Status(202, {"received": True})
    request_services.submit_request(
        network=network,
        name=data.name,
        email=data.email,
        organisation=data.organisation,
        need=data.need,
        tags=data.tags,
        language=(get_language() or network.language)[:2],
    )
    return Status(202, {"received": True})


@router.get(
    "/networks/{slug}/requests",
    response={200: list[RequestOut], **ERRORS},
    summary="Requests for help (members; e-mail addresses for hosts)",
)
def list_requests(request: AuthedRequest, slug: str, status: str = "") -> list[dict[str, Any]]:
    acc = access_network(request.user, slug)
    qs = HelpRequest.objects.filter(network=acc.network).prefetch_related("helpers")
    if not acc.is_host:
        qs = qs.exclude(status=RequestStatus.NEW).exclude(declined=True)
    if status:
        qs = qs.filter(status=status)
    return [_request_out(r, acc.is_host) for r in qs[:500]]


def _request_for(request: HttpRequest, request_id: int) -> tuple[HelpRequest, bool]:
    help_request = HelpRequest.objects.select_related("network").filter(pk=request_id).first()
    if help_request is None:
        raise Http404("No such request.")
    acc = access_network_by_id(request.user, help_request.network_id)
    if not acc.is_host and (help_request.status == RequestStatus.NEW or help_request.declined):
        raise Http404("No such request.")
    return help_request, acc.is_host


@router.post(
    "/requests/{request_id}/volunteer",
    response={200: RequestOut, **ERRORS},
    summary="Volunteer to help with a request",
)
def volunteer(request: AuthedRequest, request_id: int) -> dict[str, Any]:
    help_request, host = _request_for(request, request_id)
    request_services.volunteer(actor=request.user, request=help_request)
    return _request_out(get_object_or_404(HelpRequest, pk=help_request.pk), host)


@router.patch(
    "/requests/{request_id}",
    response={200: RequestOut, **ERRORS},
    summary="Change a request's status (hosts and helpers)",
)
def update_request(request: AuthedRequest, request_id: int, data: StatusIn) -> dict[str, Any]:
    help_request, host = _request_for(request, request_id)
    request_services.set_request_status(
        actor=request.user, request=help_request, status=data.status
    )
    return _request_out(get_object_or_404(HelpRequest, pk=help_request.pk), host)


@router.get(
    "/networks/{slug}/intentions",
    response={200: list[IntentionOut], **ERRORS},
    summary="What members seek and give",
)
def list_intentions(request: AuthedRequest, slug: str) -> list[dict[str, Any]]:
    acc = access_network(request.user, slug)
    return [
        {
            "member_id": i.user_id,
            "member": i.user.display_name,
            "seeks": i.seeks,
            "seeks_detail": i.seeks_detail,
            "gives": i.gives,
            "gives_detail": i.gives_detail,
            "updated_at": i.updated_at,
        }
        for i in Intention.objects.filter(network=acc.network).select_related("user__profile")
    ]
