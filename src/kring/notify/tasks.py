"""Background work of the notification layer: the daily bundle, retries, trimming the log."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from kring.core.tasks import enqueue_on_commit

from . import services
from .models import Delivery, DeliveryStatus

#: The daily bundle goes out from this hour on (the installation's time zone).
BUNDLE_HOUR = 8


def bundle_day(now: datetime) -> str | None:
    """The day whose bundle is due at ``now`` (``None`` before the hour)."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    if local.hour < BUNDLE_HOUR:
        return None
    return local.date().isoformat()


@task
def send_bundle(user_id: int, day: str) -> int:
    return services.send_bundle(user_id=user_id, day=day)


def bundle_tick(now: datetime) -> int:
    """``kring tick`` job: enqueue the day's bundle for everyone with items waiting.
    Idempotent: a bundle already sent that day is found by its delivery key and not redone."""
    day = bundle_day(now)
    if day is None:
        return 0
    done = Delivery.objects.filter(kind="bundle", idempotency_key=f"bundle:{day}").values("user_id")
    user_ids = list(
        Delivery.objects.filter(status=DeliveryStatus.BUNDLED, channel="email")
        .exclude(user_id__in=done)
        .values_list("user_id", flat=True)
        .distinct()
    )
    with transaction.atomic():
        for user_id in user_ids:
            enqueue_on_commit(send_bundle, user_id, day)
    return len(user_ids)


@task
def purge_log_task() -> int:
    return services.purge_log()


def purge_tick(now: datetime) -> int:
    """Once a day (at 04:00), trim the delivery log."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    if local.hour == 4 and local.minute == 0:
        purge_log_task.enqueue()
        return 1
    return 0


@task
def retry_failed_task() -> int:
    return services.retry_failed()


def retry_tick(now: datetime) -> int:
    """``kring tick`` job: send failed deliveries again when their next try is due (web push:
    the push service was busy). Each row is claimed, so overlapping runs send nothing twice."""
    if not services.failed_due(now):
        return 0
    retry_failed_task.enqueue()
    return 1
