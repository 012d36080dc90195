"""After a gathering: thank the guests who came, with how to join (if the hosts asked for it).

``follow_up_due(now)`` (a ``kring tick`` job) enqueues ``send_guest_follow_up`` for gatherings
with ``follow_up_guests`` on that ended between a week and an hour ago; the task claims the
gathering (a conditional UPDATE of ``follow_up_sent_at``) and mails, through ``kring.notify``,
every guest who came **and** said the hosts may contact them — never anyone else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.core.tasks import enqueue_on_commit
from kring.notify.services import Address, notify
from kring.public import sources

from .models import Gathering, GatheringStatus, Rsvp

FOLLOW_UP_AFTER = timedelta(hours=1)
FOLLOW_UP_WITHIN = timedelta(days=7)


def follow_up_due(now: datetime) -> int:
    due = Gathering.objects.filter(
        follow_up_guests=True,
        follow_up_sent_at__isnull=True,
        ends_at__lte=now - FOLLOW_UP_AFTER,
        ends_at__gte=now - FOLLOW_UP_WITHIN,
    ).exclude(status=GatheringStatus.CANCELLED)
    ids = list(due.values_list("pk", flat=True)[:100])
    for pk in ids:
        enqueue_on_commit(send_guest_follow_up, pk)
    return len(ids)


def guests_to_thank(gathering: Gathering) -> list[Rsvp]:
    return list(
        Rsvp.objects.filter(
            gathering=gathering,
            user__isnull=True,
            checked_in_at__isnull=False,
            guest_consent_at__isnull=False,
        ).exclude(guest_email="")
    )


@task
def send_guest_follow_up(gathering_id: int) -> int:
    if not Gathering.objects.filter(pk=gathering_id, follow_up_sent_at__isnull=True).update(
        follow_up_sent_at=timezone.now()
    ):
        return 0
    g = Gathering.objects.select_related("network").get(pk=gathering_id)
    network = g.network
    page = reverse("public:network", kwargs={"slug": network.slug})
    apply = sources.apply_url(network)
    sent = 0
    for r in guests_to_thank(g):
        notify(
            kind="guest_follow_up",
            recipient=Address(r.guest_email, language=network.language, name=r.guest_name),
            network=network,
            template="gatherings/email/guest_follow_up",
            context={
                "gathering": g,
                "name": r.guest_name,
                "page_url": settings.SITE_URL + page if network.public_page_enabled else "",
                "apply_url": settings.SITE_URL + apply if apply else "",
            },
            url=page,
            idempotency_key=f"gathering.guest_follow_up:{g.pk}",
        )
        sent += 1
    return sent
