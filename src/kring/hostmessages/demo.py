"""Demo data: a message from the host to everyone (and one to those going)."""

from __future__ import annotations

from typing import Any

from kring.gatherings.models import Gathering

from .models import Audience, HostMessage, HostMessageRecipient
from .selectors import recipients


def seed(ctx: Any) -> None:
    if HostMessage.objects.filter(network=ctx.network).exists():
        return
    # Written straight to the tables (not through send_host_message): the demo sends no mail
    # and is not held to the daily limit.
    everyone = list(
        recipients(network=ctx.network, audience=Audience.ALL, gathering=None, exclude=ctx.host)
    )
    welcome = HostMessage.objects.create(
        network=ctx.network,
        author=ctx.host,
        audience=Audience.ALL,
        subject="Welkom bij de nieuwe seizoensopening & Q&A",
        body=(
            "Hoi allemaal,\n\nVolgende maand openen we het seizoen met een Q&A over wat we dit "
            "jaar samen willen bereiken. Lees de agenda vooraf en zet je intentie klaar.\n\n"
            "Vragen? Reageer gerust in de discussie bij de bijeenkomst.\n\nGroet, de hosts"
        ),
        recipient_count=len(everyone),
    )
    HostMessageRecipient.objects.bulk_create(
        [HostMessageRecipient(message=welcome, user=u) for u in everyone]
    )
    upcoming = (
        Gathering.objects.filter(network=ctx.network, starts_at__gt=ctx.now)
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return
    going = list(
        recipients(
            network=ctx.network, audience=Audience.GOING, gathering=upcoming, exclude=ctx.host
        )
    )
    if going:
        note = HostMessage.objects.create(
            network=ctx.network,
            author=ctx.host,
            audience=Audience.GOING,
            gathering=upcoming,
            subject="Praktisch: parkeren en de deurcode",
            body="Fietsen kunnen in de binnentuin; de deur gaat om 18:45 open.",
            recipient_count=len(going),
        )
        HostMessageRecipient.objects.bulk_create(
            [HostMessageRecipient(message=note, user=u) for u in going]
        )
