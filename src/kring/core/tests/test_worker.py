"""Leases, the reaper that hands back tasks of dead workers, and the scheduler's leader lock."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.core import leases, worker
from kring.core.models import Lease

pytestmark = pytest.mark.django_db


def _running_task(*, started: Any, workers: list[str]) -> DBTaskResult:
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="kring.gatherings.tasks.send_gathering_changed",
        backend_name="default",
        run_after=timezone.now(),
        started_at=started,
        worker_ids=workers,
    )


def test_a_lease_is_exclusive_until_it_lapses() -> None:
    assert leases.acquire("scheduler", holder="a", seconds=30)
    assert not leases.acquire("scheduler", holder="b", seconds=30)
    assert leases.acquire("scheduler", holder="a", seconds=30)  # renewing is taking again
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert leases.acquire("scheduler", holder="b", seconds=30)
        assert not leases.renew("scheduler", holder="a", seconds=30)
    leases.release("scheduler", holder="a")  # not a's any more: nothing happens
    assert Lease.objects.get(name="scheduler").holder == "b"


def test_a_task_whose_worker_stopped_heartbeating_runs_again(settings: Any) -> None:
    settings.KRING_TASK_LEASE_SECONDS = 30
    now = timezone.now()
    lost = _running_task(started=now - timedelta(seconds=60), workers=["dead-worker"])
    leases.acquire(f"task:{lost.id}", holder="dead-worker", seconds=30)
    alive = _running_task(started=now - timedelta(seconds=600), workers=["live-worker"])
    # Claimed a few seconds ago, its lease not yet written: not lost either.
    just_claimed = _running_task(started=now + timedelta(seconds=25), workers=["new-worker"])
    # The live worker renewed its lease a moment ago; the dead one's lapsed.
    with time_machine.travel(now + timedelta(seconds=31)):
        leases.acquire(f"task:{alive.id}", holder="live-worker", seconds=30)
        assert worker.reap_lost_tasks() == 1
        assert worker.reap_lost_tasks() == 0  # a second reaper finds nothing to do
    lost.refresh_from_db()
    alive.refresh_from_db()
    just_claimed.refresh_from_db()
    assert lost.status == TaskResultStatus.READY
    assert alive.status == TaskResultStatus.RUNNING
    assert just_claimed.status == TaskResultStatus.RUNNING
    assert not Lease.objects.filter(name=f"task:{lost.id}").exists()
    # READY again: a worker picks it up
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()


def test_a_task_that_keeps_losing_its_worker_fails_after_the_last_attempt(settings: Any) -> None:
    settings.KRING_TASK_MAX_ATTEMPTS = 3
    old = timezone.now() - timedelta(hours=1)
    task = _running_task(started=old, workers=["w1", "w2", "w3"])
    assert worker.reap_lost_tasks() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "kring.core.worker.WorkerLost"


def test_one_scheduler_leads_and_another_takes_over_when_it_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[str] = []
    first, second = worker.Scheduler("first"), worker.Scheduler("second")
    monkeypatch.setattr(worker, "run_ticks", lambda now: runs.append("tick") or {})
    first()
    second()
    first()  # same minute: no second run
    assert runs == ["tick"]
    assert Lease.objects.get(name="scheduler").holder == "first"
    first.release()
    second()
    assert runs == ["tick", "tick"]
    assert Lease.objects.get(name="scheduler").holder == "second"
