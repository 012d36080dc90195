"""Use-cases around the meeting itself: agenda, reading it, Bring Your Own, minutes,
action items, the discussion thread and the private calendar feed."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.tasks import enqueue_on_commit
from kring.networks.models import Membership
from kring.people.models import User

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaRead,
    AgendaStatus,
    ByoItem,
    CalendarFeed,
    Comment,
    DiscussionOptOut,
    Gathering,
)
from .services import membership_of, require_host

PREP_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
}
MAGIC = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".pptx": [b"PK\x03\x04"],
    ".odt": [b"PK\x03\x04"],
}


def check_upload(upload: UploadedFile) -> None:
    """Type by extension and by the file's first bytes; size by the configured limit."""
    limit = settings.KRING_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise DomainError(
            _("The file is too large (at most %(mb)s MB)."),
            field="prep_file",
            mb=limit // (1024 * 1024),
        )
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in PREP_EXTENSIONS:
        raise DomainError(
            _("This kind of file is not accepted. Use PDF, an image, text or an office document."),
            field="prep_file",
        )
    head = upload.read(8)
    upload.seek(0)
    if ext in MAGIC and not any(head.startswith(m) for m in MAGIC[ext]):
        raise DomainError(_("The file's content does not match its type."), field="prep_file")
    if ext in {".txt", ".md"} and b"\x00" in head:
        raise DomainError(_("The file's content does not match its type."), field="prep_file")


def _owner_in_network(owner: User | None, gathering: Gathering) -> None:
    if (
        owner is not None
        and not Membership.objects.current()
        .filter(network_id=gathering.network_id, user=owner)
        .exists()
    ):
        raise DomainError(_("The owner must be a member of this network."), field="owner")


# --- Agenda ---------------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    *,
    actor: User,
    gathering: Gathering,
    title: str,
    owner: User | None = None,
    duration_minutes: int | None = None,
    description: str = "",
    prep_url: str = "",
    prep_file: UploadedFile | None = None,
) -> AgendaItem:
    require_host(actor, gathering.network)
    if not (title or "").strip():
        raise DomainError(_("Give the agenda item a title."), field="title")
    if duration_minutes is not None and not 1 <= duration_minutes <= 600:
        raise DomainError(_("Between 1 and 600 minutes, please."), field="duration_minutes")
    _owner_in_network(owner, gathering)
    if prep_file is not None:
        check_upload(prep_file)
    last = gathering.agenda_items.aggregate(m=Max("position"))["m"]
    item = AgendaItem(
        gathering=gathering,
        position=(last or 0) + 1,
        title=title.strip()[:200],
        owner=owner,
        duration_minutes=duration_minutes,
        description=description,
        prep_url=prep_url,
    )
    if prep_file is not None:
        item.prep_file.save(os.path.basename(prep_file.name or "file"), prep_file, save=False)
    item.save()
    audit.record(verb="agenda.item_added", actor=actor, network=gathering.network, obj=item)
    return item


@transaction.atomic
def remove_agenda_item(*, actor: User, item: AgendaItem) -> None:
    require_host(actor, item.gathering.network)
    audit.record(verb="agenda.item_removed", actor=actor, network=item.gathering.network, obj=item)
    if item.prep_file:
        name = item.prep_file.name
        transaction.on_commit(lambda: item.prep_file.storage.delete(name))
    item.delete()


@transaction.atomic
def move_agenda_item(*, actor: User, item: AgendaItem, direction: str) -> None:
    require_host(actor, item.gathering.network)
    items = list(item.gathering.agenda_items.order_by("position", "pk"))
    idx = next(i for i, it in enumerate(items) if it.pk == item.pk)
    swap = idx - 1 if direction == "up" else idx + 1
    if 0 <= swap < len(items):
        items[idx], items[swap] = items[swap], items[idx]
    for pos, it in enumerate(items, start=1):
        if it.position != pos:
            AgendaItem.objects.filter(pk=it.pk).update(position=pos)


@transaction.atomic
def publish_agenda(*, actor: User, gathering: Gathering) -> Gathering:
    require_host(actor, gathering.network)
    if gathering.is_cancelled:
        raise Conflict(_("This gathering is cancelled."))
    if not gathering.agenda_items.exists():
        raise DomainError(_("Add at least one agenda item before publishing."))
    updated = Gathering.objects.filter(pk=gathering.pk, agenda_status=AgendaStatus.DRAFT).update(
        agenda_status=AgendaStatus.PUBLISHED, agenda_published_at=timezone.now()
    )
    if not updated:
        raise Conflict(_("The agenda is already published."))
    gathering.refresh_from_db()
    from .tasks import send_agenda_published

    enqueue_on_commit(send_agenda_published, gathering.pk)
    audit.record(verb="agenda.published", actor=actor, network=gathering.network, obj=gathering)
    return gathering


@transaction.atomic
def mark_agenda_read(*, actor: User, gathering: Gathering) -> AgendaRead:
    membership_of(actor, gathering.network)
    if not gathering.agenda_published:
        raise Conflict(_("The agenda is not published yet."))
    read = AgendaRead.objects.filter(gathering=gathering, user=actor).first()
    if read is not None:
        return read
    try:
        with transaction.atomic():
            read = AgendaRead.objects.create(gathering=gathering, user=actor)
    except IntegrityError:
        return AgendaRead.objects.get(gathering=gathering, user=actor)
    audit.record(verb="agenda.read", actor=actor, network=gathering.network, obj=gathering)
    return read


# --- Bring Your Own -------------------------------------------------------------------------


@transaction.atomic
def add_byo_item(*, actor: User, gathering: Gathering, label: str) -> ByoItem:
    require_host(actor, gathering.network)
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Say what is needed."), field="label")
    item = ByoItem.objects.create(gathering=gathering, label=label[:120])
    audit.record(verb="byo.added", actor=actor, network=gathering.network, obj=item)
    return item


@transaction.atomic
def claim_byo_item(*, actor: User, item: ByoItem, release: bool = False) -> ByoItem:
    membership_of(actor, item.gathering.network)
    if release:
        ByoItem.objects.filter(pk=item.pk, claimed_by=actor).update(
            claimed_by=None, claimed_at=None
        )
    elif not ByoItem.objects.filter(pk=item.pk, claimed_by__isnull=True).update(
        claimed_by=actor, claimed_at=timezone.now()
    ):
        raise Conflict(_("Someone else already brings this."))
    item.refresh_from_db()
    audit.record(
        verb="byo.released" if release else "byo.claimed",
        actor=actor,
        network=item.gathering.network,
        obj=item,
    )
    return item


@transaction.atomic
def remove_byo_item(*, actor: User, item: ByoItem) -> None:
    require_host(actor, item.gathering.network)
    audit.record(verb="byo.removed", actor=actor, network=item.gathering.network, obj=item)
    item.delete()


# --- Minutes and action items ---------------------------------------------------------------


@transaction.atomic
def save_minutes(*, actor: User, gathering: Gathering, minutes: str) -> Gathering:
    require_host(actor, gathering.network)
    if len(minutes or "") > 50000:
        raise DomainError(_("The minutes are too long."), field="minutes")
    Gathering.objects.filter(pk=gathering.pk).update(minutes=minutes or "")
    gathering.minutes = minutes or ""
    audit.record(
        verb="gathering.minutes_saved", actor=actor, network=gathering.network, obj=gathering
    )
    return gathering


@transaction.atomic
def add_action_item(
    *, actor: User, gathering: Gathering, title: str, owner: User, due_date: date | None = None
) -> ActionItem:
    require_host(actor, gathering.network)
    if not (title or "").strip():
        raise DomainError(_("Say what is to be done."), field="title")
    if owner is None:
        raise DomainError(_("Choose who does it."), field="owner")
    _owner_in_network(owner, gathering)
    item = ActionItem.objects.create(
        network=gathering.network,
        gathering=gathering,
        title=title.strip()[:200],
        owner=owner,
        due_date=due_date,
    )
    audit.record(verb="action.added", actor=actor, network=gathering.network, obj=item)
    return item


@transaction.atomic
def set_action_status(*, actor: User, item: ActionItem, done: bool) -> ActionItem:
    m = membership_of(actor, item.network)
    if item.owner_id != actor.pk and m.role != "host":
        raise NotAllowed(_("Only the owner or a host can tick this off."))
    if done:
        ActionItem.objects.filter(pk=item.pk, status=ActionStatus.OPEN).update(
            status=ActionStatus.DONE, done_at=timezone.now()
        )
    else:
        ActionItem.objects.filter(pk=item.pk).update(status=ActionStatus.OPEN, done_at=None)
    item.refresh_from_db()
    audit.record(
        verb="action.done" if done else "action.reopened",
        actor=actor,
        network=item.network,
        obj=item,
    )
    return item


# --- Discussion -----------------------------------------------------------------------------


@transaction.atomic
def post_comment(*, actor: User, gathering: Gathering, body: str) -> Comment:
    membership_of(actor, gathering.network)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write something first."), field="body")
    if len(body) > 10000:
        raise DomainError(_("At most 10000 characters, please."), field="body")
    comment = Comment.objects.create(gathering=gathering, author=actor, body=body)
    from .tasks import send_comment_notification

    enqueue_on_commit(send_comment_notification, comment.pk)
    audit.record(verb="gathering.commented", actor=actor, network=gathering.network, obj=comment)
    return comment


@transaction.atomic
def set_discussion_emails(*, actor: User, network: Any, enabled: bool) -> bool:
    membership_of(actor, network)
    if enabled:
        DiscussionOptOut.objects.filter(network=network, user=actor).delete()
    else:
        DiscussionOptOut.objects.get_or_create(network=network, user=actor)
    return enabled


# --- Private calendar feed ------------------------------------------------------------------


def calendar_feed_for(user: User) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        feed, _created = CalendarFeed.objects.get_or_create(
            user=user, defaults={"token": CalendarFeed.new_token()}
        )
    return feed


@transaction.atomic
def reset_calendar_feed(*, actor: User) -> CalendarFeed:
    feed = calendar_feed_for(actor)
    CalendarFeed.objects.filter(pk=feed.pk).update(token=CalendarFeed.new_token())
    feed.refresh_from_db()
    audit.record(verb="gathering.calendar_reset", actor=actor, obj=feed)
    return feed
