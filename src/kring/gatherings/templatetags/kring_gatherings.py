"""Template filters for gatherings: times in the network's time zone."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def local_when(gathering: Any) -> str:
    """``Tuesday 8 December 2026, 19:30–21:30`` in the network's time zone."""
    tz = gathering.network.tzinfo
    start = timezone.localtime(gathering.starts_at, tz)
    end = timezone.localtime(gathering.ends_at, tz)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day}, {start:%H:%M} – {formats.date_format(end, 'j F Y')} {end:%H:%M}"


@register.filter
def local_time(value: Any, network: Any) -> Any:
    return timezone.localtime(value, network.tzinfo) if value else value
