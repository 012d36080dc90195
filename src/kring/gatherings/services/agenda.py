"""The agenda, its preparation files, publishing it and confirming it was read."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError
from kring.core.files import original_name
from kring.core.tasks import enqueue_on_commit
from kring.core.weblinks import check_web_url
from kring.gatherings import tasks
from kring.gatherings.models import (
    AgendaItem,
    AgendaRead,
    AgendaStatus,
    Gathering,
)
from kring.networks.access import require_host, require_member
from kring.people.models import User

from .common import owner_in_network

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
    owner_in_network(owner, gathering)
    prep_url = check_web_url(prep_url, field="prep_url")
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
        item.prep_file_name = original_name(prep_file)
        item.prep_file.save(item.prep_file_name, prep_file, save=False)
    item.save()
    audit.record(verb="agenda.item_added", actor=actor, network=gathering.network, obj=item)
    return item


@transaction.atomic
def remove_agenda_item(*, actor: User, item: AgendaItem) -> None:
    require_host(actor, item.gathering.network)
    audit.record(verb="agenda.item_removed", actor=actor, network=item.gathering.network, obj=item)
    if item.prep_file:
        name = item.prep_file.name or ""
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
    enqueue_on_commit(tasks.send_agenda_published, gathering.pk)
    audit.record(verb="agenda.published", actor=actor, network=gathering.network, obj=gathering)
    return gathering


@transaction.atomic
def mark_agenda_read(*, actor: User, gathering: Gathering) -> AgendaRead:
    require_member(actor, gathering.network)
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
