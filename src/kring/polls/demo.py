"""Demo: an open date poll for the spontaneous brainstorm group, answered by members and two
guests through the share link."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from .models import Poll, PollOption, PollResponse


def seed(ctx: Any) -> None:
    network = ctx.network
    if Poll.objects.filter(network=network).exists():
        return
    tz = network.tzinfo
    today = timezone.localtime(ctx.now, tz).date()
    poll = Poll.objects.create(
        network=network,
        title="Brainstorm: de startersdag",
        description="Welke avond past jou? Gasten van de Open Coffee zijn ook welkom.",
        open_to_guests=True,
        closes_at=ctx.now + timedelta(days=6),
        created_by=ctx.host,
        created_at=ctx.now - timedelta(days=2),
    )
    options = []
    for i, (days, hour) in enumerate([(9, 19), (10, 19), (12, 20)]):
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)), tz)
        options.append(
            PollOption.objects.create(
                poll=poll,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                venue="Café Olivier" if i < 2 else "De Werkplaats",
                position=i,
            )
        )
    answers = ["yes", "if_need_be", "no"]
    for k, user in enumerate([u for u in ctx.members() if u != ctx.member][:6]):
        PollResponse.objects.create(
            poll=poll,
            user=user,
            answers={str(o.pk): answers[(k + j) % 3] for j, o in enumerate(options)},
        )
    for name, email in [
        ("Sanne de Wit", "sanne.dewit@example.net"),
        ("Daan Visser", "daan.visser@example.net"),
    ]:
        PollResponse.objects.create(
            poll=poll,
            name=name,
            email=email,
            answers={str(options[0].pk): "yes", str(options[1].pk): "yes"},
        )
