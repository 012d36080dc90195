"""The discussion thread before and after a gathering."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import DomainError
from kring.core.tasks import enqueue_on_commit
from kring.gatherings import tasks
from kring.gatherings.models import (
    Comment,
    DiscussionOptOut,
    Gathering,
)
from kring.networks.access import require_member
from kring.people.models import User

# --- Discussion -----------------------------------------------------------------------------


@transaction.atomic
def post_comment(*, actor: User, gathering: Gathering, body: str) -> Comment:
    require_member(actor, gathering.network)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write something first."), field="body")
    if len(body) > 10000:
        raise DomainError(_("At most 10000 characters, please."), field="body")
    comment = Comment.objects.create(gathering=gathering, author=actor, body=body)
    enqueue_on_commit(tasks.send_comment_notification, comment.pk)
    audit.record(verb="gathering.commented", actor=actor, network=gathering.network, obj=comment)
    return comment


@transaction.atomic
def set_discussion_emails(*, actor: User, network: Any, enabled: bool) -> bool:
    require_member(actor, network)
    if enabled:
        DiscussionOptOut.objects.filter(network=network, user=actor).delete()
    else:
        DiscussionOptOut.objects.get_or_create(network=network, user=actor)
    return enabled
