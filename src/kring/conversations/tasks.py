"""New-message mail, bundled: at most one mail per conversation per 15 minutes while unread.

When a message arrives, the recipient's participant row gets ``unmailed_since`` (unless it
is already set). The scheduler (``kring tick``, every minute) mails those whose oldest
unmailed message has waited ``GRACE`` (read it by then and nothing is sent) and who were not
mailed about this conversation in the last ``INTERVAL``. One mail lists every unread message
since the last mail. It goes through the notification layer (kind ``message``: the person's
choice — now, in the daily bundle, or off — and language) with an idempotency key per
conversation, person and newest message, so a task retried after a crash mails nobody twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.notify.services import notify
from kring.people.models import User

from .addresses import reply_address
from .inbound import REPLY_MARKER
from .models import Message, Participant

GRACE = timedelta(minutes=2)
INTERVAL = timedelta(minutes=15)


def _due(now: datetime) -> Q:
    return Q(unmailed_since__isnull=False, unmailed_since__lte=now - GRACE, muted=False) & (
        Q(last_mailed_at__isnull=True) | Q(last_mailed_at__lte=now - INTERVAL)
    )


def message_mail_tick(now: datetime) -> int:
    """``kring tick`` job: enqueue a mail for every participant that is due one."""
    ids = list(Participant.objects.filter(_due(now)).values_list("pk", flat=True)[:500])
    for pk in ids:
        send_message_mail.enqueue(pk, now.isoformat())
    return len(ids)


@task
def send_message_mail(participant_id: int, now_iso: str | None = None) -> int:
    now = datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    part = (
        Participant.objects.select_related("conversation__network", "user__profile")
        .filter(_due(now), pk=participant_id)
        .first()
    )
    if part is None:
        return 0
    conversation = part.conversation
    since = max(part.last_read_id, part.mailed_through_id)
    unread = list(
        Message.objects.filter(conversation=conversation, pk__gt=since, withdrawn_at__isnull=True)
        .exclude(sender_id=part.user_id)
        .order_by("pk")
    )
    sent = 0
    if unread:
        other = User.objects.select_related("profile").get(pk=conversation.other_id(part.user_id))
        url = reverse(
            "conversations:thread",
            kwargs={"slug": conversation.network.slug, "conversation_id": conversation.pk},
        )
        reply_to = reply_address(conversation_id=conversation.pk, user_id=part.user_id, now=now)
        result = notify(
            kind="message",
            recipient=part.user,
            network=conversation.network,
            template="conversations/email/new_messages",
            context={
                "name": part.user.display_name,
                "sender": other.display_name,
                "messages": unread,
                "can_reply": bool(reply_to),
                "marker": REPLY_MARKER,
            },
            url=url,
            headers={"Auto-Submitted": "auto-generated"},
            reply_to=[reply_to] if reply_to else None,
            idempotency_key=f"conversation.message:{conversation.pk}:{unread[-1].pk}",
        )
        sent = int(result.get("email") == "sent")
    newest = unread[-1].pk if unread else since
    Participant.objects.filter(pk=part.pk).update(
        unmailed_since=None, last_mailed_at=now, mailed_through_id=newest
    )
    # A message that arrived while this mail was prepared starts the clock again.
    later = (
        Message.objects.filter(conversation=conversation, pk__gt=newest)
        .exclude(sender_id=part.user_id)
        .order_by("pk")
        .values_list("created_at", flat=True)
        .first()
    )
    if later is not None:
        Participant.objects.filter(pk=part.pk, unmailed_since__isnull=True).update(
            unmailed_since=later
        )
    return sent
