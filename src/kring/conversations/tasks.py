"""New-message mail, bundled: at most one mail per conversation per 15 minutes while unread.

When a message arrives, the recipient's participant row gets ``unmailed_since`` (unless it
is already set). The scheduler (``kring tick``, every minute) mails those whose oldest
unmailed message has waited ``GRACE`` (read it by then and nothing is sent) and who were not
mailed about this conversation in the last ``INTERVAL``. One mail lists every unread message
since the last mail. A conditional update claims the row, so a task run twice mails once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.core.mail import send_templated_mail
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
        .filter(pk=participant_id)
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
    newest = unread[-1].pk if unread else since
    # Claim: only one run gets past this for the same pending messages.
    claimed = (
        Participant.objects.filter(pk=part.pk)
        .filter(_due(now))
        .update(unmailed_since=None, last_mailed_at=now, mailed_through_id=newest)
    )
    if not claimed or not unread:
        return 0
    other = User.objects.select_related("profile").get(pk=conversation.other_id(part.user_id))
    url = reverse(
        "conversations:thread",
        kwargs={"slug": conversation.network.slug, "conversation_id": conversation.pk},
    )
    headers = {"Auto-Submitted": "auto-generated"}
    reply_to = reply_address(conversation_id=conversation.pk, user_id=part.user_id, now=now)
    if reply_to:
        headers["Reply-To"] = reply_to
    send_templated_mail(
        to=part.user.email,
        template="conversations/email/new_messages",
        language=part.user.language,
        headers=headers,
        context={
            "network": conversation.network,
            "name": part.user.display_name,
            "sender": other.display_name,
            "messages": unread,
            "url": url,
            "can_reply": bool(reply_to),
            "marker": REPLY_MARKER,
        },
    )
    return 1
