"""Background work: publish what changed, deliver one activity to one inbox, retry when due."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.tasks import task

from . import delivery, publishing
from .models import Delivery, DeliveryStatus, ReceivedActivity


@task()
def deliver(delivery_id: int) -> str:
    return delivery.attempt(delivery_id)


@task()
def publish_gathering(gathering_id: int) -> None:
    publishing.publish_gathering(gathering_id)


@task()
def publish_post(post_id: int) -> None:
    publishing.publish_post(post_id)


@task()
def retract_object(network_id: int, object_id: str) -> None:
    publishing.retract_object(network_id, object_id)


@task()
def publish_milestones(objective_id: int) -> None:
    publishing.publish_milestones(objective_id)


def retry_tick(now: datetime) -> int:
    """Enqueue every delivery whose next attempt is due (idempotent: attempts check status)."""
    ids = delivery.due(now)
    for pk in ids:
        deliver.enqueue(pk)
    return len(ids)


KEEP_RECEIVED = timedelta(days=30)
KEEP_DELIVERIES = timedelta(days=30)


def prune_tick(now: datetime) -> int:
    """Forget activity ids and finished deliveries after 30 days (replays older than that are
    refused anyway by the five-minute signature window)."""
    received, _ = ReceivedActivity.objects.filter(received_at__lt=now - KEEP_RECEIVED).delete()
    finished, _ = (
        Delivery.objects.filter(created_at__lt=now - KEEP_DELIVERIES)
        .exclude(status=DeliveryStatus.PENDING)
        .delete()
    )
    return received + finished
