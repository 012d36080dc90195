"""JSON API for conversations: start one, list yours, read and write messages.

Anyone who is not in a conversation gets 404 for it. Reading a conversation's messages marks
them read for the caller (as opening the thread does on the site).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from kring.api.schemas import ERRORS, Error
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest
from kring.people.models import User

from . import selectors, services
from .models import Conversation, Message, Via

router = Router(tags=["conversations"])

RESPONSES = {**ERRORS, 429: Error}


class PersonOut(Schema):
    id: int
    display_name: str


class ProposalOut(Schema):
    when: str
    where: str


class MessageOut(Schema):
    id: int
    sender: PersonOut
    kind: str
    body: str
    proposal: ProposalOut | None
    created_at: datetime
    edited_at: datetime | None
    withdrawn: bool
    mine: bool
    via: str


class ConversationStartIn(Schema):
    with_: int = Field(..., alias="with")
    body: str


class ConversationOut(Schema):
    id: int
    network: str
    with_: PersonOut = Field(..., alias="with")
    messages: list[MessageOut]


class ConversationSummary(Schema):
    id: int
    network: str
    with_: PersonOut = Field(..., alias="with")
    unread: int
    muted: bool
    introduction_id: int | None
    last_message_at: datetime | None


class MessageIn(Schema):
    body: str


def _person(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"id": 0, "display_name": "?"}
    return {"id": user.pk, "display_name": user.display_name}


def _message_out(m: Message, viewer_id: int, names: dict[int, User]) -> dict[str, Any]:
    return {
        "id": m.pk,
        "sender": _person(names.get(m.sender_id)),
        "kind": m.kind,
        "body": "" if m.withdrawn else m.body,
        "proposal": {"when": m.proposed_when, "where": m.proposed_where}
        if m.kind == "proposal" and not m.withdrawn
        else None,
        "created_at": m.created_at,
        "edited_at": m.edited_at,
        "withdrawn": m.withdrawn,
        "mine": m.sender_id == viewer_id,
        "via": m.via,
    }


def _people(conversation: Conversation) -> dict[int, User]:
    return User.objects.select_related("profile").in_bulk(
        [conversation.user_a_id, conversation.user_b_id]
    )


@router.post(
    "/networks/{slug}/conversations",
    response={201: ConversationOut, **RESPONSES},
    by_alias=True,
    summary="Start a conversation (or continue the one you have) with a member",
)
def start_conversation(request: AuthedRequest, slug: str, payload: ConversationStartIn) -> Status:
    acc = access_network(request.user, slug)
    conversation, _message = services.start_conversation(
        actor=request.user,
        network=acc.network,
        other_id=payload.with_,
        body=payload.body,
        via=Via.API,
    )
    people = _people(conversation)
    return Status(
        201,
        {
            "id": conversation.pk,
            "network": acc.network.slug,
            "with": _person(people.get(conversation.other_id(request.user.pk))),
            "messages": [
                _message_out(m, request.user.pk, people)
                for m in selectors.messages_of(conversation)
            ],
        },
    )


@router.get(
    "/conversations",
    response={200: list[ConversationSummary], **RESPONSES},
    by_alias=True,
    summary="Your conversations, newest first, with unread counts",
)
def list_conversations(request: AuthedRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": row["conversation"].pk,
            "network": row["conversation"].network.slug,
            "with": _person(row["other"]),
            "unread": row["unread"],
            "muted": row["participant"].muted,
            "introduction_id": row["conversation"].introduction_id,
            "last_message_at": row["conversation"].last_message_at,
        }
        for row in selectors.conversations_for(request.user)
    ]


@router.get(
    "/conversations/{conversation_id}/messages",
    response={200: list[MessageOut], **RESPONSES},
    summary="The messages of one of your conversations (marks them read)",
)
def list_messages(request: AuthedRequest, conversation_id: int) -> list[dict[str, Any]]:
    conversation = selectors.conversation_for_api(request.user, conversation_id)
    services.mark_read(actor=request.user, conversation=conversation)
    people = _people(conversation)
    return [_message_out(m, request.user.pk, people) for m in selectors.messages_of(conversation)]


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, **RESPONSES},
    summary="Write in one of your conversations",
)
def post_message(request: AuthedRequest, conversation_id: int, payload: MessageIn) -> Status:
    conversation = selectors.conversation_for_api(request.user, conversation_id)
    message = services.post_message(
        actor=request.user, conversation=conversation, body=payload.body, via=Via.API
    )
    return Status(201, _message_out(message, request.user.pk, _people(conversation)))
