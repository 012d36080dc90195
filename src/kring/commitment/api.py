from __future__ import annotations

from datetime import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from kring.api.schemas import ERRORS
from kring.core import antispam
from kring.core.errors import NotAllowed, NotFound
from kring.networks.access import access_network
from kring.networks.models import Network
from kring.people.auth import AuthedRequest

from . import health, selectors, services, spam
from .models import Application, ApplicationStatus

router = Router()


class EngagementOut(Schema):
    user_id: int
    display_name: str
    status: str
    score: int | None
    parts: dict[str, float]
    missing: list[str]


class ApplicationIn(Schema):
    name: str
    email: str
    passion: str
    talents: str = ""
    gives: str = ""
    seeks: str = ""
    objective_id: int | None = None
    heard_via: str
    accept_charter: bool = False
    website: str = ""  # the honeypot: leave empty
    altcha: str = ""  # the solved proof-of-work payload (see .../applications/challenge)


class ApplicationCreated(Schema):
    status: str
    detail: str


class ApplicationOut(Schema):
    id: int
    name: str
    email: str
    passion: str
    talents: str
    gives: str
    seeks: str
    objective_title: str
    heard_via: str
    spontaneous: bool
    status: str
    created_at: datetime
    decided_at: datetime | None


class DecisionIn(Schema):
    decision: str
    message: str = ""


class ConditionOut(Schema):
    key: str
    name: str
    score: int | None
    formula: str
    tip: str


class HealthOut(Schema):
    overall: int | None
    conditions: list[ConditionOut]


@router.get(
    "/networks/{slug}/engagement",
    response={200: list[EngagementOut], **ERRORS},
    summary="Engagement (hosts: every member; members: their own)",
)
def engagement_list(request: AuthedRequest, slug: str) -> list[dict]:
    acc = access_network(request.user, slug)
    rows = selectors.engagement_of(acc.network, user_id=None if acc.is_host else request.user.pk)
    return [
        {
            "user_id": r.membership.user_id,
            "display_name": r.membership.user.profile.display_name,
            "status": r.membership.status,
            "score": r.score,
            "parts": {k: round(v, 3) for k, v in r.result.parts.items()},
            "missing": r.result.missing,
        }
        for r in rows
    ]


@router.post(
    "/networks/{slug}/applications",
    auth=None,
    response={201: ApplicationCreated, **ERRORS},
    summary="Apply to join (public; rate-limited; confirm the e-mail afterwards)",
)
def application_create(request: AuthedRequest, slug: str, data: ApplicationIn) -> tuple[int, dict]:
    network = get_object_or_404(Network, slug=slug)
    verdict = spam.check_payload(
        request, honeypot=data.website, altcha=data.altcha, email=data.email
    )
    if verdict.is_bot:  # dropped quietly: the same answer as a real submission
        return 201, {"status": "unverified", "detail": "Check your e-mail to confirm your address."}
    app = services.submit_application(
        network=network,
        name=data.name,
        email=data.email,
        passion=data.passion,
        talents=data.talents,
        gives=data.gives,
        seeks=data.seeks,
        objective_id=data.objective_id,
        heard_via=data.heard_via,
        accept_charter=data.accept_charter,
    )
    return 201, {"status": app.status, "detail": "Check your e-mail to confirm your address."}


@router.get(
    "/networks/{slug}/applications/challenge",
    auth=None,
    response={200: dict[str, Any], **ERRORS},
    summary="A proof-of-work challenge for the application endpoint (public)",
)
def application_challenge(request: AuthedRequest, slug: str) -> dict:
    get_object_or_404(Network, slug=slug)
    return antispam.create_challenge()


def _app_out(a: Application) -> dict:
    return {
        "id": a.pk,
        "name": a.name,
        "email": a.email,
        "passion": a.passion,
        "talents": a.talents,
        "gives": a.gives,
        "seeks": a.seeks,
        "objective_title": a.objective_title,
        "heard_via": a.heard_via,
        "spontaneous": a.spontaneous,
        "status": a.status,
        "created_at": a.created_at,
        "decided_at": a.decided_at,
    }


@router.get(
    "/networks/{slug}/applications",
    response={200: list[ApplicationOut], **ERRORS},
    summary="Applications with a confirmed e-mail address (hosts)",
)
def application_list(request: AuthedRequest, slug: str, status: str = "") -> list[dict]:
    acc = access_network(request.user, slug, host=True)
    status = status if status in ApplicationStatus.values else ""
    return [_app_out(a) for a in selectors.applications_for(acc.network, status=status)[:500]]


@router.post(
    "/applications/{app_id}/decision",
    response={200: ApplicationOut, **ERRORS},
    summary="Accept, decline or waitlist an application (hosts)",
)
def application_decide(request: AuthedRequest, app_id: int, data: DecisionIn) -> dict:
    network_id = (
        Application.objects.exclude(status=ApplicationStatus.UNVERIFIED)
        .filter(pk=app_id)
        .values_list("network__slug", flat=True)
        .first()
    )
    if network_id is None:
        raise NotFound("No such application.")
    acc = access_network(request.user, network_id, host=True)
    app = Application.objects.get(pk=app_id, network=acc.network)
    app = services.decide_application(
        actor=request.user, application=app, decision=data.decision, message=data.message
    )
    return _app_out(app)


@router.get(
    "/networks/{slug}/health",
    response={200: HealthOut, **ERRORS},
    summary="The health scorecard (hosts; members too once it is published)",
)
def health_get(request: AuthedRequest, slug: str) -> dict:
    acc = access_network(request.user, slug)
    if not acc.is_host and not selectors.settings_for(acc.network).publish_health:
        raise NotAllowed("Only hosts of this network can do this.")
    conditions = selectors.network_health(acc.network)
    return {
        "overall": health.overall(conditions),
        "conditions": [
            {"key": c.key, "name": c.name, "score": c.score, "formula": c.formula, "tip": c.tip}
            for c in conditions
        ],
    }
