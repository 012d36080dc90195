"""Demo: half a year of monthly introduction rounds in the demo network, most of them met,
and a table plan for the Open Coffee: its members going and its guests, seated by name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kring.core.errors import DomainError
from kring.gatherings.models import Gathering

from . import services
from .models import Cadence, IntroductionSettings, Outcome, Participant, Round, RoundStatus

MONTHS = 6


def seed(ctx: Any) -> None:

    if not Round.objects.filter(network=ctx.network, kind="pairs").exists():
        _pair_rounds(ctx, services)
    if not Round.objects.filter(network=ctx.network, kind="tables").exists():
        _table_plan(ctx, services)


def _pair_rounds(ctx: Any, services: Any) -> None:
    network = ctx.network

    IntroductionSettings.objects.get_or_create(
        network=network, defaults={"cadence": Cadence.MONTHLY, "publish_automatically": True}
    )
    tz = network.tzinfo
    for back in range(MONTHS - 1, -1, -1):
        today = ctx.now.astimezone(tz)
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        when = today.replace(
            year=year, month=month + 1, day=1, hour=9, minute=0, second=0, microsecond=0
        )
        round_ = services.start_round(
            actor=None, network=network, seed=1000 + back, period=f"{when:%Y-%m}", now=when
        )
        # Published without e-mail (the demo sends nothing).
        Round.objects.filter(pk=round_.pk).update(
            status=RoundStatus.PUBLISHED, published_at=when, created_by=ctx.host
        )
        if back == 0:
            continue  # this month's round is fresh: nobody has met yet
        for intro in round_.introductions.all():
            roll = ctx.rng.random()
            outcome = (
                Outcome.MET
                if roll < 0.82
                else (Outcome.SKIPPED if roll < 0.92 else Outcome.PENDING)
            )
            parts = list(intro.participants.all())
            for i, p in enumerate(parts):
                p.outcome = (
                    outcome
                    if (outcome != Outcome.MET or i == 0 or ctx.rng.random() < 0.7)
                    else Outcome.PENDING
                )
                p.responded_at = when + timedelta(days=ctx.rng.randint(3, 20))
                if p.outcome == Outcome.MET and ctx.rng.random() < 0.3:
                    p.note = ctx.rng.choice(
                        [
                            "Goed gesprek over klanten werven.",
                            "Samen geluncht, volgende maand weer.",
                            "Wandeling langs de Vecht, veel ideeën.",
                        ]
                    )
            Participant.objects.bulk_update(parts, ["outcome", "responded_at", "note"])


def _table_plan(ctx: Any, services: Any) -> None:
    # The next gathering open to guests (the Open Coffee, with two guests signed up), else
    # the newest one.
    gathering = (
        Gathering.objects.filter(network=ctx.network, open_to_guests=True, ends_at__gte=ctx.now)
        .order_by("starts_at")
        .first()
        or Gathering.objects.filter(network=ctx.network).order_by("-pk").first()
    )
    if gathering is None:
        return
    try:
        round_ = services.start_round(
            actor=ctx.host,
            network=ctx.network,
            kind="tables",
            gathering_id=gathering.pk,
            table_size=5,
            rotations=3,
            seed=7,
            now=ctx.now,
        )
    except DomainError:  # nobody going yet: the demo goes on without a plan
        return
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.PUBLISHED, published_at=ctx.now)
