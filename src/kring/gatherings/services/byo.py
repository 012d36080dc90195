"""The Bring-Your-Own list."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError
from kring.gatherings.models import (
    ByoItem,
    Gathering,
)
from kring.networks.access import require_host, require_member
from kring.people.models import User

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
    require_member(actor, item.gathering.network)
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
