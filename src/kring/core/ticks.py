"""The scheduler's registry: ``kring tick`` runs every registered job that is due.

An app registers in ``AppConfig.ready()``: ``register_tick("name", fn)``; ``fn(now)`` must be
idempotent (safe when the scheduler runs twice) and quick — it enqueues tasks for real work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

logger = logging.getLogger("kring.tick")
_JOBS: dict[str, Callable[[datetime], object]] = {}


def register_tick(name: str, fn: Callable[[datetime], object]) -> None:
    _JOBS[name] = fn


def run_ticks(now: datetime) -> dict[str, object]:
    results: dict[str, object] = {}
    for name, fn in sorted(_JOBS.items()):
        try:
            results[name] = fn(now)
        except Exception:  # one failing job must not stop the others
            logger.exception("tick job %s failed", name)
            results[name] = "error"
    return results
