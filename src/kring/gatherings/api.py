"""The gatherings API: the same services as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kring.api.schemas import ERRORS, CoverOut
from kring.core.covers import cover_json
from kring.core.errors import DomainError
from kring.networks.access import NetworkAccess, access_network, access_network_by_id
from kring.people.auth import AuthedRequest

from . import selectors, services
from .models import Gathering, Rsvp

router = Router()


class GatheringIn(Schema):
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = None
    venue: str = ""
    open_to_guests: bool = False
    description: str = ""
    mode: Literal["in_person", "online", "hybrid"] = "in_person"
    online_url: str = ""
    guest_contribution_cents: int | None = None
    contribution_method: Literal["", "door", "transfer"] = ""


class GatheringPatch(Schema):
    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = None
    venue: str | None = None
    open_to_guests: bool | None = None
    description: str | None = None
    status: str | None = None
    scope: str = "one"
    mode: Literal["in_person", "online", "hybrid"] | None = None
    online_url: str | None = None
    guest_contribution_cents: int | None = None
    contribution_method: Literal["", "door", "transfer"] | None = None


class ExtendIn(Schema):
    count: int


class GatheringOut(Schema):
    id: int
    network: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    venue_address: str
    online_url: str
    capacity: int | None
    seats_taken: int
    open_to_guests: bool
    status: str
    agenda_status: str
    series_id: int | None
    mode: str
    guest_contribution_cents: int | None
    contribution_method: str
    cover: CoverOut | None = None


class RsvpIn(Schema):
    answer: str


class RsvpOut(Schema):
    status: str
    waitlist_position: int | None


class ReadOut(Schema):
    read_at: datetime


class AttendeeOut(Schema):
    member_id: int | None
    name: str
    guest: bool
    status: str
    waitlist_position: int | None
    agenda_read: bool
    checked_in_at: datetime | None


class CheckInIn(Schema):
    member_id: int


class OfflineCheckInIn(Schema):
    client_id: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$")  # e.g. a UUID from the phone
    rsvp_id: int = Field(ge=1, le=2**63 - 1)
    checked_in_at: datetime | None = None


class CheckInBatchIn(Schema):
    check_ins: list[OfflineCheckInIn] = Field(max_length=services.door_sync.MAX_BATCH)


class CheckInResultOut(Schema):
    client_id: str
    rsvp_id: int
    status: Literal["checked_in", "already", "restored", "missing"]
    name: str
    checked_in_at: datetime | None
    note: str


class CheckInBatchOut(Schema):
    results: list[CheckInResultOut]
    checked: int
    total: int


class GuestOut(Schema):
    name: str
    email: str | None
    status: str
    visits: int


class WalkInIn(Schema):
    name: str
    email: str | None = None
    consent: bool = False


class WalkInOut(Schema):
    id: int
    checked_in: bool


def _out(g: Gathering) -> dict:
    return {
        "id": g.pk,
        "network": g.network.slug,
        "title": g.title,
        "description": g.description,
        "starts_at": g.starts_at,
        "ends_at": g.ends_at,
        "venue": g.venue_name,
        "venue_address": g.venue_address,
        "online_url": g.online_url,
        "capacity": g.capacity,
        "seats_taken": g.seats_taken,
        "open_to_guests": g.open_to_guests,
        "status": g.status,
        "agenda_status": g.agenda_status,
        "series_id": g.series_id,
        "mode": g.mode,
        "guest_contribution_cents": g.guest_contribution_cents,
        "contribution_method": g.contribution_method,
        "cover": cover_json(g),
    }


def _gathering(
    request: HttpRequest, gathering_id: int, *, host: bool = False
) -> tuple[NetworkAccess, Gathering]:
    network_id = (
        Gathering.objects.filter(pk=gathering_id).values_list("network_id", flat=True).first()
    )
    if network_id is None:
        raise Http404(_("No such gathering."))
    acc = access_network_by_id(request.user, network_id, host=host)
    g = selectors.gathering_for(acc.network, gathering_id)
    assert g is not None
    return acc, g


@router.get(
    "/networks/{slug}/gatherings",
    response={200: list[GatheringOut], **ERRORS},
    summary="Upcoming gatherings of a network (past ones with ?past=true)",
)
def list_gatherings(request: AuthedRequest, slug: str, past: bool = False) -> list[dict]:
    acc = access_network(request.user, slug)
    qs = Gathering.objects.filter(network=acc.network).select_related("network")
    qs = qs.past() if past else qs.upcoming()
    return [_out(g) for g in qs[:200]]


@router.post(
    "/networks/{slug}/gatherings",
    response={201: GatheringOut, **ERRORS},
    summary="Plan a gathering (hosts)",
)
def create_gathering(request: AuthedRequest, slug: str, payload: GatheringIn) -> Status:
    acc = access_network(request.user, slug, host=True)
    g = services.create_gathering(
        actor=request.user,
        network=acc.network,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        capacity=payload.capacity,
        venue_name=payload.venue[:200],
        open_to_guests=payload.open_to_guests,
        description=payload.description,
        mode=payload.mode,
        online_url=payload.online_url,
        guest_contribution_cents=payload.guest_contribution_cents,
        contribution_method=payload.contribution_method,
    )
    return Status(201, _out(g))


@router.get(
    "/gatherings/{gathering_id}", response={200: GatheringOut, **ERRORS}, summary="One gathering"
)
def get_gathering(request: AuthedRequest, gathering_id: int) -> dict:
    _acc, g = _gathering(request, gathering_id)
    return _out(g)


@router.patch(
    "/gatherings/{gathering_id}",
    response={200: GatheringOut, **ERRORS},
    summary="Change a gathering (hosts); scope 'one' or 'series'",
)
def patch_gathering(request: AuthedRequest, gathering_id: int, payload: GatheringPatch) -> dict:
    _acc, g = _gathering(request, gathering_id, host=True)
    sent = payload.model_dump(exclude_unset=True)
    scope = sent.pop("scope", "one")
    if "status" in sent:
        # {"status": "cancelled"} cancels this gathering, or with scope "series" every
        # occurrence of its series that has not started yet; nothing else may come with it.
        if sent.pop("status") != "cancelled":
            raise DomainError(_("A gathering can only be set to cancelled."), field="status")
        if sent:
            raise DomainError(_("Cancel without changing anything else."), field=sorted(sent)[0])
        if scope == "series":
            services.cancel_series(actor=request.user, gathering=g)
        elif scope == "one":
            services.cancel_gathering(actor=request.user, gathering=g)
        else:
            raise DomainError(_("Unknown scope."), field="scope")
        g.refresh_from_db()
        return _out(g)
    for key in ("online_url", "contribution_method"):
        if key in sent and sent[key] is None:
            sent[key] = ""
    if "venue" in sent:
        sent["venue_name"] = (sent.pop("venue") or "")[:200]
    for key in ("title", "starts_at", "ends_at", "open_to_guests", "description", "mode"):
        if key in sent and sent[key] is None:
            raise DomainError(_("This field cannot be empty."), field=key)
    services.update_gathering(actor=request.user, gathering=g, data=sent, scope=scope)
    g.refresh_from_db()
    return _out(g)


@router.post(
    "/gatherings/{gathering_id}/series/occurrences",
    response={201: list[GatheringOut], **ERRORS},
    summary="Extend a series with its next occurrences (hosts)",
)
def extend_series(request: AuthedRequest, gathering_id: int, payload: ExtendIn) -> Status:
    _acc, g = _gathering(request, gathering_id, host=True)
    added = services.extend_series(actor=request.user, gathering=g, count=payload.count)
    return Status(201, [_out(a) for a in added])


@router.put(
    "/gatherings/{gathering_id}/rsvp",
    response={200: RsvpOut, **ERRORS},
    summary="Answer going / maybe / not_going, or online (hybrid and online gatherings)",
)
def put_rsvp(request: AuthedRequest, gathering_id: int, payload: RsvpIn) -> dict:
    _acc, g = _gathering(request, gathering_id)
    result = services.answer_rsvp(actor=request.user, gathering=g, answer=payload.answer)
    return {"status": result.status, "waitlist_position": result.waitlist_position}


@router.post(
    "/gatherings/{gathering_id}/agenda-read",
    response={200: ReadOut, **ERRORS},
    summary="I have read the agenda",
)
def agenda_read(request: AuthedRequest, gathering_id: int) -> dict:
    _acc, g = _gathering(request, gathering_id)
    read = services.mark_agenda_read(actor=request.user, gathering=g)
    return {"read_at": read.read_at}


@router.get(
    "/gatherings/{gathering_id}/attendees",
    response={200: list[AttendeeOut], **ERRORS},
    summary="Who is going, waiting, maybe or not going",
)
def attendees(request: AuthedRequest, gathering_id: int) -> list[dict]:
    acc, g = _gathering(request, gathering_id)
    reads = selectors.reads_by_user(g)
    rows = selectors.attendees(g)
    waiting = [r for r in rows if r.status == "waitlisted"]
    positions = {
        r.pk: i
        for i, r in enumerate(sorted(waiting, key=lambda r: r.waitlist_number or 0), start=1)
    }
    out = []
    for r in rows:
        if r.status == "unconfirmed" and not acc.is_host:
            continue
        out.append(
            {
                "member_id": r.user_id,
                "name": r.name,
                "guest": r.is_guest,
                "status": r.status,
                "waitlist_position": positions.get(r.pk),
                "agenda_read": r.user_id in reads,
                "checked_in_at": r.checked_in_at,
            }
        )
    return out


@router.post(
    "/gatherings/{gathering_id}/check-ins",
    response={200: AttendeeOut, **ERRORS},
    summary="Check a member in at the door (hosts)",
)
def check_in(request: AuthedRequest, gathering_id: int, payload: CheckInIn) -> dict:
    _acc, g = _gathering(request, gathering_id, host=True)
    r: Rsvp = services.check_in(actor=request.user, gathering=g, user_id=payload.member_id)
    return {
        "member_id": r.user_id,
        "name": r.name,
        "guest": r.is_guest,
        "status": r.status,
        "waitlist_position": None,
        "agenda_read": r.user_id is not None and g.agenda_reads.filter(user_id=r.user_id).exists(),
        "checked_in_at": r.checked_in_at,
    }


@router.post(
    "/gatherings/{gathering_id}/check-ins/batch",
    response={200: CheckInBatchOut, **ERRORS},
    summary="Save check-ins made at the door without a connection (hosts)",
    description=(
        "The door list queues check-ins while offline, each with a client id and the moment "
        "it was made, and sends them here when back online. Idempotent: a check-in sent twice "
        "is saved once and answered `already`. Checked in wins: someone who cancelled "
        "meanwhile is recorded as attended (`restored`, with a `note` for the host); an "
        "answer that no longer exists is `missing`. A cancelled gathering answers 409."
    ),
)
def check_in_batch(request: AuthedRequest, gathering_id: int, payload: CheckInBatchIn) -> dict:
    _acc, g = _gathering(request, gathering_id, host=True)
    outcome = services.sync_check_ins(
        actor=request.user,
        gathering=g,
        items=[
            services.OfflineCheckIn(
                client_id=i.client_id, rsvp_id=i.rsvp_id, checked_in_at=i.checked_in_at
            )
            for i in payload.check_ins
        ],
    )
    return {
        "results": [vars(r) for r in outcome.results],
        "checked": outcome.checked,
        "total": outcome.total,
    }


@router.get(
    "/gatherings/{gathering_id}/guests",
    response={200: list[GuestOut], **ERRORS},
    summary="The guests of a gathering (hosts); e-mail only for guests who gave consent",
)
def guests(request: AuthedRequest, gathering_id: int) -> list[dict]:
    _acc, g = _gathering(request, gathering_id, host=True)
    return [
        {"name": r["name"], "email": r["email"], "status": r["status"], "visits": r["visits"]}
        for r in selectors.gathering_guests(g)
    ]


@router.post(
    "/gatherings/{gathering_id}/walk-ins",
    response={201: WalkInOut, **ERRORS},
    summary="Add a walk-in at the door, checked in at once (hosts)",
)
def walk_in(request: AuthedRequest, gathering_id: int, payload: WalkInIn) -> Status:
    _acc, g = _gathering(request, gathering_id, host=True)
    r = services.add_walk_in(
        actor=request.user,
        gathering=g,
        name=payload.name,
        email=payload.email,
        consent=payload.consent,
    )
    return Status(201, {"id": r.pk, "checked_in": r.checked_in_at is not None})
