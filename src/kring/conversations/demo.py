"""Demo: the latest introductions have their conversations; the demo member agreed on a
time with their introduction, wrote with the host, and one message was reported."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kring.introductions.models import Introduction, Round, RoundKind, RoundStatus

from . import services
from .models import Conversation


def seed(ctx: Any) -> None:
    if Conversation.objects.filter(network=ctx.network).exists():
        return
    latest = (
        Round.objects.filter(
            network=ctx.network, kind=RoundKind.PAIRS, status=RoundStatus.PUBLISHED
        )
        .order_by("-published_at")
        .first()
    )
    if latest is None:
        return
    opened_at = latest.published_at or ctx.now
    for intro in latest.introductions.all():
        services.open_for_introduction(introduction=intro, now=opened_at)
    member, host = ctx.member, ctx.host
    t = max(opened_at, ctx.now - timedelta(days=3))

    found = Introduction.objects.filter(round=latest, participants__user=member).first()
    if found is not None:
        intro = found
        partner_id = (
            intro.participants.exclude(user=member).values_list("user_id", flat=True).first()
        )
        talk = services.conversations_of_introduction(intro, member.pk)
        partner = next((c for c in talk if c.other_id(member.pk) == partner_id), None)
        if partner is not None:
            other = partner.user_a if partner.user_a_id != member.pk else partner.user_b
            services.post_message(
                actor=member,
                conversation=partner,
                body="Leuk dat we aan elkaar voorgesteld zijn! Zullen we koffie drinken?",
                now=t,
            )
            intro.proposed_when, intro.proposed_where = "Donderdag 10:00", "Café De Rode Draad"
            intro.proposed_by = member
            intro.save(update_fields=["proposed_when", "proposed_where", "proposed_by"])
            services.propose_time(
                actor=member,
                introduction=intro,
                when="Donderdag 10:00",
                where="Café De Rode Draad, Utrecht",
                now=t + timedelta(minutes=2),
            )
            services.post_message(
                actor=other,
                conversation=partner,
                body="Donderdag past me goed. Tot dan! Mijn portfolio: https://example.org/portfolio",
                now=t + timedelta(hours=3),
            )

    with_host, _m = services.start_conversation(
        actor=host,
        network=ctx.network,
        other_id=member.pk,
        body="Welkom! Fijn dat je er bent. Heb je vragen over de volgende bijeenkomst?",
        now=t + timedelta(hours=5),
    )
    services.post_message(
        actor=member,
        conversation=with_host,
        body="Dank je! Ik lees de agenda vanavond.",
        now=t + timedelta(hours=6),
    )
    services.mark_read(actor=host, conversation=with_host)

    # A message reported to the hosts (between two other members).
    others = [u for u in ctx.members() if u.pk not in {member.pk, host.pk}]
    if len(others) >= 2:
        sender, receiver = others[-1], others[-2]
        pushy, _m = services.start_conversation(
            actor=sender,
            network=ctx.network,
            other_id=receiver.pk,
            body="Ik heb een geweldige cursus voor je, nu met 50% korting. Koop vandaag nog!",
            now=t + timedelta(hours=1),
        )
        services.report_message(
            actor=receiver,
            message=pushy.messages.get(),
            reason="Ongevraagde reclame; dat past niet bij ons netwerk.",
            now=t + timedelta(hours=2),
        )
