"""A Redis-backed queue for Django's tasks framework, on top of RQ.

Used when ``REDIS_URL`` is set (see settings). ``enqueue`` stores the task's module path and
JSON arguments as an RQ job; ``kring worker`` (started by ``kring serve``) runs them. Workers
may run on other machines: they only need the same code, settings and Redis.

(django-tasks-rq targets the ``django_tasks`` backport, not Django's built-in
``django.tasks``; this adapter is the small part of it we need.)
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from redis import Redis
from rq import Queue, Retry
from rq.registry import StartedJobRegistry

from kring.core import pagecache

logger = logging.getLogger(__name__)
QUEUE_PREFIX = "kring-"


def connection_for(url: str) -> Any:
    return Redis.from_url(url)


def sweep_abandoned(redis: Any, queue_names: list[str], holder: str) -> int:
    """Hand out again every job whose worker stopped its heartbeat (one sweeper at a time).

    RQ does this itself only every ten minutes and only between jobs; the worker's heartbeat
    thread calls this every beat. A job that has retries left is queued again; one without
    goes to the failed registry.
    """
    if not redis.set("kring:rq-sweeper", holder, nx=True, px=5_000):
        return 0
    try:
        swept = 0
        for name in queue_names:
            registry = StartedJobRegistry(queue=Queue(name, connection=redis))
            expired = registry.get_expired_job_ids()
            if expired:
                registry.cleanup()
                swept += len(expired)
        return swept
    finally:
        redis.delete("kring:rq-sweeper")


def execute(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run inside the RQ worker: resolve the task and call its function."""
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{module_path} is not a task")
    try:
        return normalize_json(task.call(*args, **kwargs))
    finally:
        pagecache.flush()  # the task's last writes void the pages that showed the old rows


class RQBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url = params.get("OPTIONS", {}).get("url", "redis://127.0.0.1:6379/0")

    def queue(self, name: str) -> Any:
        return Queue(QUEUE_PREFIX + name, connection=connection_for(self.url))

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        result_id = get_random_string(32)
        args = normalize_json(list(args))
        kwargs = normalize_json(dict(kwargs))
        self.queue(task.queue_name).enqueue(
            execute,
            task.module_path,
            args,
            kwargs,
            job_id=result_id,
            # At least once: a job whose worker died (or that raised) runs again.
            retry=Retry(max=max(0, settings.KRING_TASK_MAX_ATTEMPTS - 1)),
            result_ttl=86_400,
            failure_ttl=7 * 86_400,
        )
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
