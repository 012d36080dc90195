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

from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
QUEUE_PREFIX = "kring-"


def _connection(url: str) -> Any:
    from redis import Redis

    return Redis.from_url(url)


def execute(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run inside the RQ worker: resolve the task and call its function."""
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{module_path} is not a task")
    return normalize_json(task.call(*args, **kwargs))


class RQBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url = params.get("OPTIONS", {}).get("url", "redis://127.0.0.1:6379/0")

    def queue(self, name: str) -> Any:
        from rq import Queue

        return Queue(QUEUE_PREFIX + name, connection=_connection(self.url))

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
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


def run_worker(queues: list[str] | None = None) -> None:
    """Run an RQ worker for the configured queues (``kring worker``)."""
    from django.conf import settings
    from rq import Worker

    url = settings.TASKS["default"].get("OPTIONS", {}).get("url")
    names = [QUEUE_PREFIX + q for q in (queues or ["default"])]
    connection = _connection(url)
    Worker(names, connection=connection).work(with_scheduler=False)
