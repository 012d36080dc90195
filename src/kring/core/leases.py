"""Expiring named claims in the database: task leases and the scheduler's leader lock.

A lease is held by one ``holder`` until ``expires_at``; the holder renews it while it is
alive. Taking a lease is one conditional UPDATE (``... WHERE holder = me OR expires_at <
now``) or one INSERT guarded by the primary key, so two processes never both hold it — on
SQLite and PostgreSQL alike, across any number of servers sharing the database.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kring.core.models import Lease


def acquire(name: str, *, holder: str, seconds: float) -> bool:
    """Take or renew the lease ``name`` for ``seconds``; False when someone else holds it."""
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    taken = (
        Lease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__lt=now))
        .update(holder=holder, expires_at=until)
    )
    if taken:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=until)
    except IntegrityError:  # someone else holds it (or took it a moment ago)
        return False
    return True


def renew(name: str, *, holder: str, seconds: float) -> bool:
    """Extend a lease this holder still has; False when it lapsed and someone took it."""
    until = timezone.now() + timedelta(seconds=seconds)
    return bool(Lease.objects.filter(name=name, holder=holder).update(expires_at=until))


def release(name: str, *, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).delete()


def live_names(names: list[str]) -> set[str]:
    """The names among ``names`` whose lease has not lapsed."""
    return set(
        Lease.objects.filter(name__in=names, expires_at__gte=timezone.now()).values_list(
            "name", flat=True
        )
    )
