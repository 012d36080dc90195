"""Minutes and action items."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.dates import check_date
from kring.core.errors import DomainError, NotAllowed
from kring.gatherings.models import (
    ActionItem,
    ActionStatus,
    Gathering,
)
from kring.networks.access import require_host, require_member
from kring.people.models import User

from .common import owner_in_network

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
    owner_in_network(owner, gathering)
    check_date(due_date, field="due_date")
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
    m = require_member(actor, item.network)
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
