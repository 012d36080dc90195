"""Reads for conversations: a person's list with unread counts, one thread, hosts' reports.

Every read starts from the viewer's own participant rows: a conversation someone is not in
is never fetched for them (hosts included).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kring.networks.models import Network
from kring.people.models import User

from .models import Conversation, Message, Participant, Report


def _unread_filter(prefix: str, user_id: int) -> Q:
    return Q(**{f"{prefix}messages__pk__gt": F("last_read_id")}) & ~Q(
        **{f"{prefix}messages__sender_id": user_id}
    )


def conversations_for(user: Any, *, network: Network | None = None) -> list[dict[str, Any]]:
    """The viewer's conversations, newest first, each with the other person and unread count.

    Three queries whatever the number of conversations.
    """
    parts = Participant.objects.filter(user_id=user.pk)
    if network is not None:
        parts = parts.filter(conversation__network=network)
    rows = list(
        parts.select_related("conversation__network")
        .annotate(
            unread=Count(
                "conversation__messages",
                filter=_unread_filter("conversation__", user.pk)
                & Q(conversation__messages__withdrawn_at__isnull=True),
            )
        )
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")
    )
    other_ids = {p.conversation.other_id(user.pk) for p in rows}
    others = User.objects.select_related("profile").in_bulk(other_ids)
    return [
        {
            "conversation": p.conversation,
            "participant": p,
            "other": others.get(p.conversation.other_id(user.pk)),
            "unread": p.unread,
        }
        for p in rows
    ]


def unread_count(user: Any, *, network: Network | None = None) -> int:
    """Unread messages from others in the viewer's conversations that are not muted."""
    parts = Participant.objects.filter(user_id=user.pk, muted=False)
    if network is not None:
        parts = parts.filter(conversation__network=network)
    return (
        parts.aggregate(
            n=Count(
                "conversation__messages",
                filter=_unread_filter("conversation__", user.pk)
                & Q(conversation__messages__withdrawn_at__isnull=True),
            )
        )["n"]
        or 0
    )


def unread_badge(request: HttpRequest, network: Network) -> int | None:
    """The navigation badge: one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return unread_count(user, network=network) or None


def conversation_for(user: Any, conversation_id: int, *, network: Network) -> Conversation:
    """The conversation if the viewer takes part in it in this network; 404 otherwise."""
    conversation = (
        Conversation.objects.select_related("network")
        .filter(pk=conversation_id, network=network, participants__user_id=user.pk)
        .first()
    )
    if conversation is None:
        raise Http404(_("No such conversation."))
    return conversation


def conversation_for_api(user: Any, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related("network")
        .filter(pk=conversation_id, participants__user_id=user.pk)
        .first()
    )
    if conversation is None:
        raise Http404(_("No such conversation."))
    return conversation


def message_for(user: Any, conversation: Conversation, message_id: int) -> Message:
    message = (
        Message.objects.select_related("conversation__network")
        .filter(pk=message_id, conversation=conversation)
        .first()
    )
    if message is None:
        raise Http404(_("No such message."))
    return message


def messages_of(conversation: Conversation, *, limit: int = 500) -> list[Message]:
    """The newest ``limit`` messages, oldest first."""
    rows = list(conversation.messages.order_by("-pk")[:limit])
    rows.reverse()
    return rows


def participant(user: Any, conversation: Conversation) -> Participant | None:
    return Participant.objects.filter(conversation=conversation, user_id=user.pk).first()


def conversation_with(user: Any, other_id: int, *, network: Network) -> Conversation | None:
    a, b = sorted((user.pk, other_id))
    return Conversation.objects.filter(network=network, user_a_id=a, user_b_id=b).first()


def reports_for(network: Network, *, handled: bool = False) -> QuerySet[Report]:
    """The network's reports (hosts only: the caller checks)."""
    return (
        Report.objects.filter(network=network, handled_at__isnull=not handled)
        .select_related("reporter__profile", "message__sender__profile")
        .order_by("-created_at", "-pk")
    )


def open_report_count(network: Network) -> int:
    return Report.objects.filter(network=network, handled_at__isnull=True).count()


def conversations_with(user: Any, other_ids: list[int], *, network: Network) -> dict[int, Any]:
    """The viewer's conversations in a network with each of ``other_ids`` (one query)."""
    q = Q(pk__in=[])
    for other in other_ids:
        a, b = sorted((user.pk, other))
        q |= Q(user_a_id=a, user_b_id=b)
    rows = Conversation.objects.filter(q, network=network)
    return {c.other_id(user.pk): c for c in rows}
