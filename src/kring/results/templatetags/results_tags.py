from __future__ import annotations

from django import template

from kring.results.models import Seek

register = template.Library()


@register.filter
def seek_label(value: str) -> str:
    return str(Seek(value).label) if value in Seek.values else value


@register.filter
def euros(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"€ {cents // 100},{cents % 100:02d}"
