"""The sensible range for every date people type in (web forms, API bodies, query strings).

Kring is about a network's recent past and near future: a date before 1 January 2000 or more
than ten years ahead is a typo (or a probe). Such dates are refused with one clear message
instead of an ``OverflowError`` (500) or a page that draws eight thousand years of months.
Periods (from–until) are at most ten years long. Use-cases call :func:`check_date` /
:func:`check_period` (so the API is covered), forms use :class:`BoundedDateField`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10
MAX_PERIOD_DAYS = 366 * 10

OUT_OF_RANGE = _("Choose a date between %(earliest)s and %(latest)s.")
PERIOD_TOO_LONG = _("A period can be at most ten years long.")
PERIOD_REVERSED = _("The end of the period comes before its start.")


def latest(today: date | None = None) -> date:
    """The last date accepted: 31 December, ten years after this year."""
    today = today or timezone.localdate()
    return date(today.year + YEARS_AHEAD, 12, 31)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _params() -> dict[str, str]:
    return {
        "earliest": formats.date_format(EARLIEST, "DATE_FORMAT"),
        "latest": formats.date_format(latest(), "DATE_FORMAT"),
    }


def in_range(value: date | datetime) -> bool:
    return EARLIEST <= _day(value) <= latest()


def check_date(value: Any, *, field: str) -> Any:
    """``value`` (a date or datetime) if it lies in the sensible range, else a ``DomainError``."""
    if value is not None and not in_range(value):
        params: dict[str, Any] = _params()
        raise DomainError(OUT_OF_RANGE, field=field, **params)
    return value


def check_period(
    start: Any, end: Any, *, start_field: str = "start", end_field: str = "end"
) -> None:
    """Both ends in range, the end not before the start, at most ten years apart."""
    check_date(start, field=start_field)
    check_date(end, field=end_field)
    if start is None or end is None:
        return
    if _day(end) < _day(start):
        raise DomainError(PERIOD_REVERSED, field=end_field)
    if (_day(end) - _day(start)).days > MAX_PERIOD_DAYS:
        raise DomainError(PERIOD_TOO_LONG, field=end_field)


class _Bounded:
    def validate(self, value: Any) -> None:
        super().validate(value)  # type: ignore[misc]
        if value not in self.empty_values and not in_range(value):  # type: ignore[attr-defined]
            raise forms.ValidationError(str(OUT_OF_RANGE) % _params(), code="date_range")


class BoundedDateField(_Bounded, forms.DateField):
    """A ``DateField`` that refuses dates outside the sensible range."""


class BoundedDateTimeField(_Bounded, forms.DateTimeField):
    """A ``DateTimeField`` that refuses moments outside the sensible range."""
