"""Use-cases: a host writes to (a part of) the network's members."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import DomainError, NotFound
from kring.core.tasks import enqueue_on_commit
from kring.gatherings.models import Gathering
from kring.networks.access import require_host
from kring.networks.models import Network
from kring.people.models import User

from . import selectors, tasks
from .models import (
    BODY_MAX,
    GATHERING_AUDIENCES,
    SUBJECT_MAX,
    Audience,
    HostMessage,
    HostMessageRecipient,
)

#: Messages per network per 24 hours (``KRING_HOST_MESSAGES_PER_DAY``).
DEFAULT_DAILY_LIMIT = 5


def daily_limit() -> int:
    return int(getattr(settings, "HOST_MESSAGES_PER_DAY", DEFAULT_DAILY_LIMIT))


class TooMany(DomainError):
    status = 429
    code = "rate_limited"


def resolve_gathering(*, network: Network, gathering_id: int | None) -> Gathering | None:
    """The network's gathering, or a 404 that does not tell another network's apart."""
    if gathering_id is None:
        return None
    gathering = Gathering.objects.filter(pk=gathering_id, network=network).first()
    if gathering is None:
        raise NotFound(_("There is no such gathering in this network."), field="gathering")
    return gathering


def check_message(
    *, network: Network, audience: str, gathering: Gathering | None, subject: str, body: str
) -> tuple[str, str]:
    """Validate everything but the sender; returns the cleaned subject and body."""
    if audience not in Audience.values:
        raise DomainError(
            _("Choose who gets the message: %(choices)s."),
            choices=", ".join(Audience.values),
            field="audience",
            status=422,
        )
    if audience in GATHERING_AUDIENCES and gathering is None:
        raise DomainError(_("Choose the gathering this message is about."), field="gathering")
    if gathering is not None and gathering.network_id != network.pk:
        raise NotFound(_("There is no such gathering in this network."), field="gathering")
    subject = " ".join((subject or "").split())
    body = (body or "").strip().replace("\r\n", "\n")
    if not subject:
        raise DomainError(_("Write a subject."), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise DomainError(
            _("Keep the subject under %(max)s characters."), max=SUBJECT_MAX, field="subject"
        )
    if not body:
        raise DomainError(_("Write a message."), field="body")
    if len(body) > BODY_MAX:
        raise DomainError(
            _("Keep the message under %(max)s characters."), max=BODY_MAX, field="body"
        )
    return subject, body


def preview_recipients(
    *, actor: User, network: Network, audience: str, gathering: Gathering | None
) -> list[User]:
    require_host(actor, network)
    if audience not in Audience.values or (audience in GATHERING_AUDIENCES and gathering is None):
        return []
    return list(
        selectors.recipients(network=network, audience=audience, gathering=gathering, exclude=actor)
    )


@transaction.atomic
def send_host_message(
    *,
    actor: User,
    network: Network,
    audience: str,
    gathering: Gathering | None,
    subject: str,
    body: str,
) -> HostMessage:
    """Store the message with its recipients and send it through the notification layer
    (each member by their own choice: now, in the daily bundle, or not by e-mail)."""
    require_host(actor, network)
    subject, body = check_message(
        network=network, audience=audience, gathering=gathering, subject=subject, body=body
    )
    Network.objects.select_for_update().filter(pk=network.pk).first()  # one at a time (PG)
    since = timezone.now() - timedelta(days=1)
    if HostMessage.objects.filter(network=network, created_at__gte=since).count() >= daily_limit():
        raise TooMany(
            _("A network sends at most %(limit)s messages a day; try again tomorrow."),
            limit=daily_limit(),
        )
    people = list(
        selectors.recipients(network=network, audience=audience, gathering=gathering, exclude=actor)
    )
    if not people:
        raise DomainError(_("Nobody is in this group yet; the message was not sent."))
    message = HostMessage.objects.create(
        network=network,
        author=actor,
        audience=audience,
        gathering=gathering,
        subject=subject,
        body=body,
        recipient_count=len(people),
    )
    HostMessageRecipient.objects.bulk_create(
        [HostMessageRecipient(message=message, user=p) for p in people]
    )
    audit.record(
        verb="hostmessage.sent",
        actor=actor,
        network=network,
        obj=message,
        audience=audience,
        recipients=len(people),
    )
    enqueue_on_commit(tasks.deliver_host_message, message.pk)
    return message


def audience_label(audience: str) -> Any:
    return dict(Audience.choices).get(audience, audience)
