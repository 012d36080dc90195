from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kring.core.formats import named_format
from kring.results import charts
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


@register.simple_tag
def month_chart(per_month: list) -> str:
    """Bar chart (SVG) of ``public_impact(...)["contributions_per_month"]``."""

    return charts.bar_chart(
        [(date_format(m, named_format("SHORT_MONTH_YEAR_FORMAT")), n) for m, n in per_month],
        title=_("Contributions per month"),
        desc=_("Number of contributions logged in each of the last twelve months."),
    )
