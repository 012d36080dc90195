"""Background work: introduction e-mails and scheduled rounds."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task
from django.urls import reverse
from django.utils import translation

from kring.notify.services import notify

from . import reasons
from .models import IntroductionSettings, Participant, Round, RoundStatus


def _names(participants: list[Participant]) -> dict[int, str]:
    return {p.user_id: p.user.display_name for p in participants}


@task
def send_introduction_mails(round_id: int) -> int:
    """Tell each person of a published pairs round who they are introduced to, and why.

    Idempotent: each person is told once per introduction (the delivery log's key), so a
    retried task only reaches those it had not reached.
    """
    round_ = (
        Round.objects.select_related("network")
        .filter(pk=round_id, status=RoundStatus.PUBLISHED)
        .first()
    )
    if round_ is None:
        return 0
    sent = 0
    url = reverse("introductions:index", kwargs={"slug": round_.network.slug})
    for intro in round_.introductions.prefetch_related("participants__user__profile"):
        participants = list(intro.participants.all())
        names = _names(participants)
        for p in participants:
            others = [names[q.user_id] for q in participants if q.user_id != p.user_id]
            with translation.override(p.user.language):
                sentences = [
                    s
                    for item in reasons.for_group(intro.details, names=names, viewer_id=p.user_id)
                    if item["mine"]
                    for s in item["sentences"]
                ]
            notify(
                kind="introduction",
                recipient=p.user,
                network=round_.network,
                idempotency_key=f"introduction:{intro.pk}",
                template="introductions/email/introduction",
                url=url,
                context={
                    "network": round_.network,
                    "name": names[p.user_id],
                    "others": reasons.join_words(others) if others else "",
                    "sentences": sentences,
                    "url": url,
                },
            )
            sent += 1
    return sent


@task
def run_scheduled_round_task(network_id: int, now_iso: str) -> int | None:
    from .services import run_scheduled_round

    return run_scheduled_round(network_id=network_id, now=datetime.fromisoformat(now_iso))


def scheduled_rounds_tick(now: datetime) -> int:
    """``kring tick`` job: enqueue a round for every network whose period has none yet."""
    from .services import period_for

    count = 0
    for s in IntroductionSettings.objects.exclude(cadence="off").select_related("network"):
        period = period_for(s.cadence, now, s.network.tzinfo)
        if not Round.objects.filter(network=s.network, period=period).exists():
            run_scheduled_round_task.enqueue(s.network_id, now.isoformat())
            count += 1
    return count
