"""Use-cases for conversations: start, write, edit, withdraw, read, mute, block, report.

Every write checks that the actor takes part (someone else gets ``NotFound``: a conversation
they are not in looks like a missing one) and that both people still share the network.
A block (either way, in any network) makes writing "not possible" for both, without saying
who blocked whom.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound

# Module import (not names): introductions.services calls back into this module.
from kring.introductions import services as introductions_services
from kring.introductions.models import Block, Introduction, RoundKind, RoundStatus
from kring.networks.access import membership_for, require_host, require_member
from kring.networks.models import Membership, Network

from .models import MAX_BODY, Conversation, Message, MessageKind, Participant, Report, Via

EDIT_WINDOW = timedelta(minutes=10)
MAX_NEW_CONVERSATIONS_PER_DAY = 20
MAX_MESSAGES_PER_HOUR = 60
MAX_REASON = 1000

NOT_POSSIBLE = _("Sending a message to this person is not possible.")


class TooMany(DomainError):
    status = 429
    code = "too_many_requests"


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_("Write a message first."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(
            _("A message can be at most %(max)s characters (this one has %(count)s)."),
            field="body",
            max=MAX_BODY,
            count=len(body),
        )
    return body


def is_blocked(user_id: int, other_id: int) -> bool:
    """A block either way, in any network: the two cannot write to each other."""
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id=other_id) | Q(blocker_id=other_id, blocked_id=user_id)
    ).exists()


def _is_current_member(network: Network, user_id: int) -> bool:
    return Membership.objects.current().filter(network=network, user_id=user_id).exists()


def participant_of(actor: Any, conversation: Conversation) -> Participant:
    part = Participant.objects.filter(conversation=conversation, user_id=actor.pk).first()
    if part is None:
        raise NotFound(_("No such conversation."))
    return part


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _get_or_open(
    *, network: Network, a: int, b: int, started_by: Any, introduction_id: int | None, now: datetime
) -> tuple[Conversation, bool]:
    ua, ub = _pair(a, b)
    existing = Conversation.objects.filter(network=network, user_a_id=ua, user_b_id=ub).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                network=network,
                user_a_id=ua,
                user_b_id=ub,
                started_by=started_by,
                introduction_id=introduction_id,
                created_at=now,
            )
            Participant.objects.bulk_create(
                [
                    Participant(conversation=conversation, user_id=ua),
                    Participant(conversation=conversation, user_id=ub),
                ]
            )
    except IntegrityError:  # opened at the same moment by the other side
        return Conversation.objects.get(network=network, user_a_id=ua, user_b_id=ub), False
    return conversation, True


def _check_message_rate(actor: Any, now: datetime) -> None:
    sent = Message.objects.filter(sender_id=actor.pk, created_at__gte=now - timedelta(hours=1))
    if sent.count() >= MAX_MESSAGES_PER_HOUR:
        raise TooMany(
            _(
                "You have sent %(max)s messages in the last hour. Please wait a while before "
                "sending more."
            ),
            max=MAX_MESSAGES_PER_HOUR,
        )


def _check_writable(actor: Any, conversation: Conversation) -> None:
    """Both people still in the network and no block: otherwise "not possible"."""
    require_member(actor, conversation.network)
    other_id = conversation.other_id(actor.pk)
    if not _is_current_member(conversation.network, other_id) or is_blocked(actor.pk, other_id):
        raise NotAllowed(NOT_POSSIBLE)


def _add(
    *,
    actor: Any,
    conversation: Conversation,
    now: datetime,
    via: str,
    body: str = "",
    kind: str = MessageKind.TEXT,
    when: str = "",
    where: str = "",
) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        sender=actor,
        kind=kind,
        body=body,
        proposed_when=when,
        proposed_where=where,
        via=via,
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    conversation.last_message_at = now
    # Writing means having read everything before it.
    Participant.objects.filter(conversation=conversation, user_id=actor.pk).update(
        last_read_id=message.pk, unmailed_since=None
    )
    # The other side has something unread: start their mail clock unless it already runs.
    Participant.objects.filter(
        conversation=conversation, unmailed_since__isnull=True, muted=False
    ).exclude(user_id=actor.pk).update(unmailed_since=now)
    return message


@transaction.atomic
def start_conversation(
    *,
    actor: Any,
    network: Network,
    other_id: int,
    body: str,
    via: str = Via.WEB,
    now: datetime | None = None,
) -> tuple[Conversation, Message]:
    """Write to a member of a network you share; reuses the pair's conversation if any."""
    now = now or timezone.now()
    require_member(actor, network)
    if other_id == actor.pk:
        raise DomainError(_("You cannot send a message to yourself."), field="with")
    if not _is_current_member(network, other_id):
        raise NotFound(_("No such member."), field="with")
    body = _clean_body(body)
    if is_blocked(actor.pk, other_id):
        raise NotAllowed(NOT_POSSIBLE)
    ua, ub = _pair(actor.pk, other_id)
    if not Conversation.objects.filter(network=network, user_a_id=ua, user_b_id=ub).exists():
        started = Conversation.objects.filter(
            started_by_id=actor.pk, created_at__gte=now - timedelta(days=1)
        ).count()
        if started >= MAX_NEW_CONVERSATIONS_PER_DAY:
            raise TooMany(
                _(
                    "You have started %(max)s conversations today. Please continue one of "
                    "them or try again tomorrow."
                ),
                max=MAX_NEW_CONVERSATIONS_PER_DAY,
            )
    _check_message_rate(actor, now)
    conversation, created = _get_or_open(
        network=network, a=actor.pk, b=other_id, started_by=actor, introduction_id=None, now=now
    )
    message = _add(actor=actor, conversation=conversation, now=now, via=via, body=body)
    if created:
        # Only that a conversation began, not with whom or what was said.
        audit.record(verb="conversations.started", actor=actor, network=network)
    return conversation, message


@transaction.atomic
def post_message(
    *,
    actor: Any,
    conversation: Conversation,
    body: str,
    via: str = Via.WEB,
    now: datetime | None = None,
) -> Message:
    now = now or timezone.now()
    participant_of(actor, conversation)
    body = _clean_body(body)
    _check_writable(actor, conversation)
    _check_message_rate(actor, now)
    return _add(actor=actor, conversation=conversation, now=now, via=via, body=body)


def open_for_introduction(*, introduction: Introduction, now: datetime | None = None) -> int:
    """Give every pair of a published 1:1 introduction its conversation (a trio: three).

    Idempotent: an existing conversation of the pair in that network is reused. Returns how
    many conversations were opened.
    """
    now = now or timezone.now()
    round_ = introduction.round
    if round_.kind != RoundKind.PAIRS or round_.status != RoundStatus.PUBLISHED:
        return 0
    ids = sorted(introduction.participants.values_list("user_id", flat=True))
    opened = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if is_blocked(a, b):
                continue
            conversation, created = _get_or_open(
                network=round_.network,
                a=a,
                b=b,
                started_by=None,
                introduction_id=introduction.pk,
                now=now,
            )
            if not created and conversation.introduction_id is None:
                Conversation.objects.filter(pk=conversation.pk).update(
                    introduction_id=introduction.pk
                )
            opened += created
    return opened


def conversations_of_introduction(introduction: Introduction, user_id: int) -> list[Conversation]:
    """The viewer's conversations with the others of an introduction (opened if missing)."""
    open_for_introduction(introduction=introduction)
    others = list(
        introduction.participants.exclude(user_id=user_id).values_list("user_id", flat=True)
    )
    network = introduction.round.network
    return [
        c
        for c in (
            Conversation.objects.filter(
                network=network, user_a_id=_pair(user_id, o)[0], user_b_id=_pair(user_id, o)[1]
            ).first()
            for o in others
        )
        if c is not None
    ]


@transaction.atomic
def propose_time(
    *,
    actor: Any,
    introduction: Introduction,
    when: str,
    where: str,
    now: datetime | None = None,
) -> list[Message]:
    """A proposed time and place, as a structured message to the others of an introduction."""
    now = now or timezone.now()
    messages = []
    for conversation in conversations_of_introduction(introduction, actor.pk):
        try:
            _check_writable(actor, conversation)
        except NotAllowed:
            continue  # silently: a block ends messages both ways
        _check_message_rate(actor, now)
        messages.append(
            _add(
                actor=actor,
                conversation=conversation,
                now=now,
                via=Via.WEB,
                kind=MessageKind.PROPOSAL,
                when=when,
                where=where,
            )
        )
    return messages


def _own_message(actor: Any, message: Message) -> Message:
    participant_of(actor, message.conversation)
    if message.sender_id != actor.pk:
        raise NotAllowed(_("You can only change your own messages."))
    if message.withdrawn:
        raise Conflict(_("This message was withdrawn."))
    return message


@transaction.atomic
def edit_message(
    *, actor: Any, message: Message, body: str, now: datetime | None = None
) -> Message:
    now = now or timezone.now()
    _own_message(actor, message)
    if message.kind != MessageKind.TEXT:
        raise DomainError(_("A proposal cannot be edited; send a new one."), field="body")
    if now - message.created_at > EDIT_WINDOW:
        raise Conflict(
            _("A message can be edited only in its first %(minutes)s minutes."),
            field="body",
            minutes=int(EDIT_WINDOW.total_seconds() // 60),
        )
    message.body = _clean_body(body)
    message.edited_at = now
    message.save(update_fields=["body", "edited_at"])
    return message


@transaction.atomic
def withdraw_message(*, actor: Any, message: Message, now: datetime | None = None) -> Message:
    """The text disappears for both sides ("message withdrawn"); a report keeps its copy."""
    _own_message(actor, message)
    message.withdrawn_at = now or timezone.now()
    message.save(update_fields=["withdrawn_at"])
    return message


def mark_read(*, actor: Any, conversation: Conversation) -> int:
    """Everything in the conversation is read by the actor; returns the newest id."""
    part = participant_of(actor, conversation)
    newest = conversation.messages.aggregate(m=Max("pk"))["m"] or 0
    if newest > part.last_read_id or part.unmailed_since is not None:
        Participant.objects.filter(pk=part.pk).update(last_read_id=newest, unmailed_since=None)
    return newest


@transaction.atomic
def set_muted(*, actor: Any, conversation: Conversation, muted: bool) -> Participant:
    part = participant_of(actor, conversation)
    part.muted = muted
    fields = ["muted"]
    if muted:
        part.unmailed_since = None
        fields.append("unmailed_since")
    part.save(update_fields=fields)
    return part


@transaction.atomic
def block_other(*, actor: Any, conversation: Conversation) -> None:
    """Block the other person: no messages either way, never introduced again."""
    participant_of(actor, conversation)
    introductions_services.block_person(
        actor=actor, network=conversation.network, other_id=conversation.other_id(actor.pk)
    )


@transaction.atomic
def report_message(
    *, actor: Any, message: Message, reason: str, now: datetime | None = None
) -> Report:
    """Report a message to the network's hosts; they see it and the reason, nothing else."""
    participant_of(actor, message.conversation)
    if message.sender_id == actor.pk:
        raise DomainError(_("You cannot report your own message."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the hosts why you report this message."), field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("The reason can be at most %(max)s characters."), field="reason", max=MAX_REASON
        )
    network = message.conversation.network
    if membership_for(actor, network) is None:
        raise NotFound(_("No such conversation."))
    body = message.body
    if message.kind == MessageKind.PROPOSAL:
        body = f"{message.proposed_when} · {message.proposed_where}".strip(" ·")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                network=network,
                message=message,
                reporter=actor,
                reason=reason,
                body_snapshot=body,
                created_at=now or timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already reported this message.")) from exc
    audit.record(verb="conversations.reported", actor=actor, network=network, obj=report)
    return report


@transaction.atomic
def handle_report(*, actor: Any, report: Report, now: datetime | None = None) -> Report:
    require_host(actor, report.network)
    report.handled_at = now or timezone.now()
    report.handled_by = actor
    report.save(update_fields=["handled_at", "handled_by"])
    audit.record(verb="conversations.report_handled", actor=actor, network=report.network)
    return report
