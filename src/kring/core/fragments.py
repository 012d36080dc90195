"""Rendered fragments of pages kept per process (the ``fragments`` LocMemCache).

A list page (the directory's person cards, the knowledge list's posts, the introduction
cards) reads its rows as plain data, names each item's HTML by a digest of everything the item
shows plus whatever makes it differ between viewers, languages and time zones
(``fragment_key``), reads all of them at once and renders only the ones missing. Keys never go
stale: a changed object is a new key; old ones age out of the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

SECONDS = 86400


def fragment_key(kind: str, *parts: Any) -> str:
    """``kind:`` and a digest of ``parts`` (their ``repr``: use plain data, dataclasses, tuples)
    with the active language and time zone, which every rendered fragment depends on."""
    everything = (parts, get_language(), timezone.get_current_timezone_name())
    return f"{kind}:{hashlib.sha256(repr(everything).encode()).hexdigest()}"


def render_fragments(
    template_name: str, items: Sequence[tuple[str, dict[str, Any]]]
) -> list[SafeString]:
    """The HTML of each ``(key, context)`` in order: from the cache, or ``template_name``
    rendered with ``context`` (no context processors: give it what it shows) and stored."""
    cache = caches["fragments"]
    found: dict[str, str] = cache.get_many([key for key, _ in items])
    if len(found) < len(items):
        template = get_template(template_name)
        missing = {key: template.render(context) for key, context in items if key not in found}
        cache.set_many(missing, SECONDS)
        found.update(missing)
    return [mark_safe(found[key]) for key, _ in items]  # rendered, escaped templates
