"""Scheduled rounds (``kring tick``, registered in apps.py): the job enqueues a task that runs
the use-case. Kept apart from ``tasks`` (the e-mails the use-cases send), so services import
tasks and jobs import services, never the other way round."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from .models import IntroductionSettings, Round
from .services import period_for, run_scheduled_round


@task
def run_scheduled_round_task(network_id: int, now_iso: str) -> int | None:
    return run_scheduled_round(network_id=network_id, now=datetime.fromisoformat(now_iso))


def scheduled_rounds_tick(now: datetime) -> int:
    """``kring tick`` job: enqueue a round for every network whose period has none yet."""
    count = 0
    for s in IntroductionSettings.objects.exclude(cadence="off").select_related("network"):
        period = period_for(s.cadence, now, s.network.tzinfo)
        if not Round.objects.filter(network=s.network, period=period).exists():
            run_scheduled_round_task.enqueue(s.network_id, now.isoformat())
            count += 1
    return count
