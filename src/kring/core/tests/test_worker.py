"""Leases, the reaper that hands back tasks of dead workers, and the scheduler's leader lock."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

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


RUNNING: dict[str, Any] = {}


@task
def stop_the_worker() -> str:
    """A task for the worker tests: it ran (in this worker), and the worker is to stop."""
    RUNNING["worker"].running = False
    return "ran"


def _ready_task(*, run_after: Any = None, backend: str = "default") -> DBTaskResult:
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=f"{__name__}.stop_the_worker",
        backend_name=backend,
        run_after=run_after or get_date_max(),
    )


def test_the_worker_sees_only_tasks_that_are_due() -> None:
    w = worker.LeasedWorker(worker_id="w")
    assert not w.due()
    _ready_task(run_after=timezone.now() + timedelta(minutes=5))
    _ready_task(backend="elsewhere")
    assert not w.due()
    _ready_task(run_after=timezone.now() - timedelta(seconds=1))
    assert w.due()


@pytest.mark.django_db(transaction=True)
def test_an_idle_worker_asks_one_select_a_poll_on_the_connection_it_keeps() -> None:
    """The library's own loop opens a connection and an exclusive transaction every poll
    (~4 ms of CPU: 0.4 % of a core for an idle server); the idle wait does neither."""
    w = worker.LeasedWorker(worker_id="idle", interval=0.02)
    threading.Timer(0.3, lambda: setattr(w, "running", False)).start()
    connection.ensure_connection()
    raw = connection.connection
    with CaptureQueriesContext(connection) as ctx:
        w.run()
    sql = [q["sql"].lstrip().split()[0].upper() for q in ctx.captured_queries]
    assert len(sql) >= 3 and set(sql) == {"SELECT"}
    assert connection.connection is raw  # no new connection per poll


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_due_task_within_one_interval() -> None:
    w = worker.LeasedWorker(worker_id="prompt", interval=0.05)
    RUNNING["worker"] = w
    ready = _ready_task()
    started = time.monotonic()
    w.run()  # runs the task, which stops the worker
    assert time.monotonic() - started < 5
    ready.refresh_from_db()
    assert ready.status == TaskResultStatus.SUCCESSFUL
    assert ready.worker_ids == ["prompt"]
    assert not Lease.objects.filter(name=f"task:{ready.id}").exists()  # released
