"""Background work: deliver a host message to each recipient, once."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from kring.notify.services import notify

from .models import HostMessage


@task
def deliver_host_message(message_id: int) -> int:
    """One ``notify()`` per recipient with the key ``host_message:<id>``: a retry after a
    crash reaches only those not reached yet. Returns how many were handled."""
    message = (
        HostMessage.objects.select_related("network", "author__profile", "gathering")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    network = message.network
    url = reverse("hostmessages:index", kwargs={"slug": network.slug}) + f"#m{message.pk}"
    count = 0
    for r in message.recipients.select_related("user__profile"):
        notify(
            kind="host_message",
            recipient=r.user,
            network=network,
            idempotency_key=f"host_message:{message.pk}",
            template="hostmessages/email/host_message",
            url=url,
            context={
                "message": message,
                "author": message.author.display_name if message.author else "",
                "gathering": message.gathering,
            },
        )
        count += 1
    return count
