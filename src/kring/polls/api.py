"""The date-poll API: the same use-cases as the pages."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kring.api.schemas import ERRORS
from kring.networks.access import NetworkAccess, access_network, access_network_by_id
from kring.people.auth import AuthedRequest

from . import services
from .models import Poll

router = Router()


class OptionIn(Schema):
    starts_at: datetime
    ends_at: datetime
    venue: str = ""


class PollIn(Schema):
    title: str
    options: list[OptionIn]
    closes_at: datetime | None = None
    description: str = ""
    open_to_guests: bool = False


class OptionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    venue: str
    yes: int
    if_need_be: int
    no: int


class PollOut(Schema):
    id: int
    network: str
    title: str
    description: str
    closes_at: datetime | None
    closed: bool
    decided_option_id: int | None
    gathering_id: int | None
    options: list[OptionOut]


class AnswersIn(Schema):
    answers: dict[str, str]


class DecisionIn(Schema):
    option_id: int


class DecisionOut(Schema):
    gathering_id: int


def _out(poll: Poll) -> dict:
    return {
        "id": poll.pk,
        "network": poll.network.slug,
        "title": poll.title,
        "description": poll.description,
        "closes_at": poll.closes_at,
        "closed": poll.is_closed,
        "decided_option_id": poll.decided_option_id,
        "gathering_id": poll.gathering_id if poll.is_decided else None,
        "options": [
            {
                "id": t.option.pk,
                "starts_at": t.option.starts_at,
                "ends_at": t.option.ends_at,
                "venue": t.option.venue,
                "yes": t.yes,
                "if_need_be": t.if_need_be,
                "no": t.no,
            }
            for t in services.totals(poll)
        ],
    }


def _poll(request: HttpRequest, poll_id: int, *, host: bool = False) -> tuple[NetworkAccess, Poll]:
    network_id = Poll.objects.filter(pk=poll_id).values_list("network_id", flat=True).first()
    if network_id is None:
        raise Http404(_("No such poll."))
    acc = access_network_by_id(request.user, network_id, host=host)
    return acc, Poll.objects.select_related("network").get(pk=poll_id)


@router.post(
    "/networks/{slug}/polls",
    response={201: PollOut, **ERRORS},
    summary="Propose 2-8 dates for a gathering (hosts)",
)
def create_poll(request: AuthedRequest, slug: str, payload: PollIn) -> Status:
    acc = access_network(request.user, slug, host=True)
    poll = services.create_poll(
        actor=request.user,
        network=acc.network,
        title=payload.title,
        description=payload.description,
        closes_at=payload.closes_at,
        open_to_guests=payload.open_to_guests,
        options=[
            services.OptionIn(starts_at=o.starts_at, ends_at=o.ends_at, venue=o.venue)
            for o in payload.options
        ],
    )
    return Status(201, _out(poll))


@router.get("/polls/{poll_id}", response={200: PollOut, **ERRORS}, summary="A poll with totals")
def get_poll(request: AuthedRequest, poll_id: int) -> dict:
    _acc, poll = _poll(request, poll_id)
    return _out(poll)


@router.put(
    "/polls/{poll_id}/answers",
    response={200: PollOut, **ERRORS},
    summary="Answer yes / if_need_be / no per option (members)",
)
def put_answers(request: AuthedRequest, poll_id: int, payload: AnswersIn) -> dict:
    _acc, poll = _poll(request, poll_id)
    services.answer_poll(actor=request.user, poll=poll, answers=payload.answers)
    return _out(poll)


@router.post(
    "/polls/{poll_id}/decision",
    response={201: DecisionOut, **ERRORS},
    summary="Pick a date: creates or fills in the gathering and tells who answered (hosts)",
)
def decide(request: AuthedRequest, poll_id: int, payload: DecisionIn) -> Status:
    _acc, poll = _poll(request, poll_id, host=True)
    gathering = services.decide_poll(actor=request.user, poll=poll, option_id=payload.option_id)
    return Status(201, {"gathering_id": gathering.pk})
