"""Retention: personal data that is no longer needed is deleted by ``kring tick``.

- login-failure logs (django-axes): 180 days;
- rejected (declined) applications: 28 days — done by the commitment app's own tick
  (``commitment.purge_declined``), which keeps anonymous counts for its funnel;
- closed third-party requests: 1 year.
Every job is idempotent and bounded (deletes in batches).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models

from kring.core.ticks import register_tick
from kring.results.models import HelpRequest, RequestStatus

from .services import purge_old_exports as purge

logger = logging.getLogger("kring.privacy")

LOGIN_LOG_DAYS = 180
CLOSED_REQUEST_DAYS = 365
BATCH = 5000


def _delete_older(qs: models.QuerySet, field: str, cutoff: datetime) -> int:
    total = 0
    while True:
        ids = list(qs.filter(**{f"{field}__lt": cutoff}).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        qs.model.objects.filter(pk__in=ids).delete()
        total += len(ids)


def purge_login_logs(now: datetime) -> int:

    cutoff = now - timedelta(days=LOGIN_LOG_DAYS)
    return (
        _delete_older(AccessFailureLog.objects.all(), "attempt_time", cutoff)
        + _delete_older(AccessAttempt.objects.all(), "attempt_time", cutoff)
        + _delete_older(AccessLog.objects.all(), "attempt_time", cutoff)
    )


def purge_closed_requests(now: datetime) -> int:
    """Third-party help requests (results.HelpRequest) closed or done more than a year ago."""
    qs = HelpRequest.objects.filter(status__in=[RequestStatus.CLOSED, RequestStatus.DONE])
    return _delete_older(qs, "updated_at", now - timedelta(days=CLOSED_REQUEST_DAYS))


def purge_old_exports(now: datetime) -> int:

    return purge(now)


def retention(now: datetime) -> dict[str, int]:
    result = {
        "login_logs": purge_login_logs(now),
        "closed_requests": purge_closed_requests(now),
        "exports": purge_old_exports(now),
    }
    if any(result.values()):
        logger.info("retention: %s", result)
    return result


def register() -> None:

    register_tick("privacy.retention", retention)
