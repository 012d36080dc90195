"""``POST /api/v1/networks/{slug}/host-messages`` (hosts) and the list a person may read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Router, Schema, Status
from pydantic import Field

from kring.api.schemas import ERRORS, Error
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest

from . import selectors, services

router = Router()

Audience = Literal["all", "going", "not_answered", "agenda_unread"]


class HostMessageIn(Schema):
    audience: Audience
    gathering_id: int | None = None
    subject: str = Field(max_length=2000)
    body: str = Field(max_length=20000)


class HostMessageCreated(Schema):
    id: int
    recipients: int


class HostMessageOut(Schema):
    id: int
    subject: str
    body: str
    audience: str
    gathering_id: int | None
    author: str
    created_at: datetime
    recipients: int | None = Field(None, description="for hosts only")


@router.post(
    "/networks/{slug}/host-messages",
    response={201: HostMessageCreated, **ERRORS, 429: Error},
    summary="Write to members (hosts)",
    description=(
        "Hosts write to everyone, to those going to a gathering, to those who have not answered "
        "for it, or to those going who have not read its agenda (the last three need "
        "`gathering_id`). Subject 1-150 characters, body 1-5000. Members get 403; another "
        "network's gathering is 404; more than the network's daily limit is 429."
    ),
)
def create_host_message(request: AuthedRequest, slug: str, payload: HostMessageIn) -> Status[dict]:
    acc = access_network(request.user, slug, host=True)
    gathering = services.resolve_gathering(network=acc.network, gathering_id=payload.gathering_id)
    message = services.send_host_message(
        actor=request.user,
        network=acc.network,
        audience=payload.audience,
        gathering=gathering,
        subject=payload.subject,
        body=payload.body,
    )
    return Status(201, {"id": message.pk, "recipients": message.recipient_count})


@router.get(
    "/networks/{slug}/host-messages",
    response={200: list[HostMessageOut], **ERRORS},
    summary="Messages from the hosts (to me; hosts: all)",
)
def list_host_messages(request: AuthedRequest, slug: str) -> list[dict[str, Any]]:
    acc = access_network(request.user, slug)
    rows = selectors.messages_for(network=acc.network, user=request.user, is_host=acc.is_host)
    return [
        {
            "id": m.pk,
            "subject": m.subject,
            "body": m.body,
            "audience": m.audience,
            "gathering_id": m.gathering_id,
            "author": m.author.display_name if m.author else "",
            "created_at": m.created_at,
            "recipients": m.recipient_count if acc.is_host else None,
        }
        for m in rows[:100]
    ]
