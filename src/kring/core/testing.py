"""Helpers for tests."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def clear_cache() -> None:
    """Empty the cache between tests without touching other test workers' keys.

    With Redis (``REDIS_URL``) pytest-xdist workers share one database, each under its own
    key prefix; ``cache.clear()`` would flush the others' rate-limit counters mid-test.
    """
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
