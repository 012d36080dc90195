"""The long-running task worker (``kring worker``, started by ``kring serve``).

At-least-once delivery on both queues:

- **Database queue** (django-tasks-db): a worker that claims a task takes the lease
  ``task:<id>`` and a heartbeat thread renews it every third of ``KRING_TASK_LEASE_SECONDS``.
  Every worker also reaps: a RUNNING task whose lease lapsed (its worker was killed, lost
  power or hung so badly that even the heartbeat stopped) goes back to READY, to run again —
  or to FAILED after ``KRING_TASK_MAX_ATTEMPTS`` claims, so one poison task cannot kill
  workers forever.
- **Redis queue** (RQ): RQ's own heartbeats, with their time-to-live shortened to the lease;
  jobs are enqueued with retries left, and a heartbeat thread sweeps the started-job
  registries every beat, so an abandoned job is handed out again within one lease.

Tasks must therefore be idempotent; mail fan-out is, per recipient (its delivery log).

The scheduler runs in a thread of the worker too (no process per minute): once a minute the
worker that holds the ``scheduler`` lease runs the registered ticks (``kring.core.ticks``).
With several servers on one database exactly one worker leads; when it dies another takes
over within one lease.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kring.core import leases
from kring.core.models import Lease
from kring.core.rq_backend import QUEUE_PREFIX, connection_for, sweep_abandoned
from kring.core.ticks import run_ticks

logger = logging.getLogger("kring.worker")

SCHEDULER = "scheduler"


def lease_seconds() -> int:
    return max(3, settings.KRING_TASK_LEASE_SECONDS)


def beat_seconds() -> float:
    return lease_seconds() / 3


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def reap_lost_tasks(*, now: Any = None) -> int:
    """Hand back every running database task whose worker stopped renewing its lease.

    Returns how many tasks were put back (READY) or given up (FAILED, after too many
    attempts). The conditional UPDATE (same ``started_at``) keeps two reapers from acting twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    candidates = list(
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .only("id", "started_at", "worker_ids", "task_path")
    )
    if not candidates:
        return 0
    live = leases.live_names([f"task:{t.id}" for t in candidates])
    done = 0
    for t in candidates:
        name = f"task:{t.id}"
        if name in live:
            continue
        attempts = len(t.worker_ids)
        if attempts >= settings.KRING_TASK_MAX_ATTEMPTS:
            logger.error(
                "task %s (%s) lost its worker %d times; failed", t.id, t.task_path, attempts
            )
            fields: dict[str, Any] = {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "exception_class_path": "kring.core.worker.WorkerLost",
                "traceback": f"The worker stopped while running this task ({attempts} times).",
            }
        else:
            logger.warning("task %s (%s) lost its worker; queued again", t.id, t.task_path)
            fields = {"status": TaskResultStatus.READY}
        done += DBTaskResult.objects.filter(
            pk=t.pk, status=TaskResultStatus.RUNNING, started_at=t.started_at
        ).update(**fields)
        Lease.objects.filter(name=name, expires_at__lt=now).delete()
    return done


class Beat(threading.Thread):
    """Calls ``fn`` every ``every`` seconds until stopped; one failure never ends the loop."""

    def __init__(self, name: str, every: float, fn: Callable[[], None]) -> None:
        super().__init__(name=name, daemon=True)
        self.every = every
        self.fn = fn
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                self.fn()
            except Exception:
                logger.exception("%s failed", self.name)
            finally:
                close_old_connections()
            if self.stopped.wait(self.every):
                break
        connection.close()

    def stop(self) -> None:
        self.stopped.set()


class Scheduler:
    """Runs the ticks once a minute while this worker holds the ``scheduler`` lease."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        self.next_run = 0.0  # at once on becoming leader, then at each minute's start

    def __call__(self) -> None:
        if not leases.acquire(SCHEDULER, holder=self.holder, seconds=lease_seconds()):
            return
        if time.time() < self.next_run:
            return
        now = timezone.now()
        self.next_run = (time.time() // 60 + 1) * 60
        results = run_ticks(now)
        logger.info("scheduler ran %d jobs", len(results))

    def release(self) -> None:
        leases.release(SCHEDULER, holder=self.holder)


class LeasedWorker(Worker):
    """django-tasks-db's worker, with a lease on the task it runs and a cheap wait for work.

    The library's loop costs ~4 ms of CPU a poll (a new database connection with its PRAGMAs,
    an exclusive transaction): 0.4 % of a core for an idle server polling every second. Here
    an idle worker asks one small SELECT per ``interval`` on the connection it keeps, and
    enters the library's loop (in batch mode) only when a task is due; that loop claims and
    runs tasks until none is ready and hands back. A task still starts within ``interval``.
    """

    current: str | None = None

    def __init__(self, *, worker_id: str, interval: float = 1.0) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

    def due(self) -> bool:
        return DBTaskResult.objects.ready().filter(backend_name=self.backend_name).exists()

    def run(self) -> None:
        while self.running:
            try:
                due = self.due()
            except DatabaseError:
                logger.warning("could not look for tasks; trying again", exc_info=True)
                connection.close()
                due = False
            if due:
                super().run()
            elif self.running:
                time.sleep(self.interval)

    def run_task(self, db_task_result: Any) -> None:
        name = f"task:{db_task_result.id}"
        leases.acquire(name, holder=self.worker_id, seconds=lease_seconds())
        self.current = name
        try:
            super().run_task(db_task_result)
        finally:
            self.current = None
            leases.release(name, holder=self.worker_id)


class _QuietBatches(logging.Filter):
    """``LeasedWorker`` enters the library's loop once per batch of due tasks: its start and
    "no more tasks ... exiting" lines would be logged for every batch, and mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Starting worker", "No more tasks to run"))


def run_database_worker(*, scheduler: bool, interval: float = 1.0) -> None:
    worker_id = new_worker_id()
    worker = LeasedWorker(worker_id=worker_id, interval=interval)
    logging.getLogger("django_tasks_db").addFilter(_QuietBatches())

    def heartbeat() -> None:
        if worker.current:
            leases.renew(worker.current, holder=worker_id, seconds=lease_seconds())
        reap_lost_tasks()

    threads = [Beat("heartbeat", beat_seconds(), heartbeat)]
    sched = Scheduler(worker_id) if scheduler else None
    if sched:
        threads.append(Beat("scheduler", beat_seconds(), sched))
    logger.info("worker %s: database queue, scheduler %s", worker_id, "on" if sched else "off")
    for t in threads:
        t.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        _stop(threads, sched)


def run_redis_worker(*, scheduler: bool, queues: list[str] | None = None) -> None:
    from rq import Worker

    class LeasedRQWorker(Worker):
        def get_heartbeat_ttl(self, job: Any, working_time: float = 0.0) -> int:
            return lease_seconds()

    url = settings.TASKS["default"].get("OPTIONS", {}).get("url")
    names = [QUEUE_PREFIX + q for q in (queues or ["default"])]
    redis = connection_for(url)
    worker = LeasedRQWorker(
        names, connection=redis, job_monitoring_interval=max(1, int(beat_seconds()))
    )
    holder = worker.name

    threads = [
        Beat("heartbeat", beat_seconds(), lambda: (sweep_abandoned(redis, names, holder), None)[1])
    ]
    sched = Scheduler(holder) if scheduler else None
    if sched:
        threads.append(Beat("scheduler", beat_seconds(), sched))
    logger.info("worker %s: Redis queue, scheduler %s", holder, "on" if sched else "off")
    for t in threads:
        t.start()
    try:
        worker.work(with_scheduler=False)
    finally:
        _stop(threads, sched)


def _stop(threads: list[Beat], sched: Scheduler | None) -> None:
    for t in threads:
        t.stop()
    for t in threads:
        t.join(timeout=5)
    if sched:
        try:
            sched.release()  # another server's worker leads at once, not after the lease
        except Exception:
            logger.exception("could not release the scheduler lease")
        finally:
            connection.close()
