"""Scheduled work (``kring tick``, registered in apps.py): the jobs enqueue tasks that run a
use-case. Kept apart from ``tasks`` (the e-mails the use-cases send), so services import
tasks and jobs import services, never the other way round."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from kring.networks.models import Network

from .services import low_engagement_round, purge_declined, snapshot_month


@task
def low_engagement_round_task(network_id: int) -> None:
    network = Network.objects.filter(pk=network_id).first()
    if network is not None:
        low_engagement_round(network=network)


@task
def snapshot_task(network_id: int) -> None:
    network = Network.objects.filter(pk=network_id).first()
    if network is not None:
        snapshot_month(network=network)


@task
def purge_task() -> None:
    purge_declined()


def tick_purge(now: datetime) -> int:
    purge_task.enqueue()
    return 1


def tick_engagement(now: datetime) -> int:
    """Daily: snapshot the month (once per month) and the low-engagement round (once per low
    period per member). Both are idempotent."""
    ids = list(Network.objects.values_list("pk", flat=True))
    for pk in ids:
        snapshot_task.enqueue(pk)
        low_engagement_round_task.enqueue(pk)
    return len(ids)
