"""The month view of the gatherings list: which days, which gatherings on each (pure).

Weeks start on Monday (ISO 8601, as in the Netherlands); a grid has the 4–6 weeks that
cover the month, with the neighbouring months' days to fill the first and last week.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

MIN_YEAR = 1900
MAX_YEAR = 2200


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    gatherings: list[Any] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def has_previous(self) -> bool:
        return self.previous.year >= MIN_YEAR

    @property
    def has_next(self) -> bool:
        return self.next.year <= MAX_YEAR

    @property
    def weekdays(self) -> list[date]:
        """The dates of the first week: for the column headers (Monday to Sunday)."""
        return [d.date for d in self.weeks[0]]

    @property
    def days_with_gatherings(self) -> list[Day]:
        return [d for week in self.weeks for d in week if d.in_month and d.gatherings]


def parse_month(text: str | None, today: date) -> date | None:
    """``YYYY-MM`` → the first of that month; empty → this month; anything else → None."""
    if not text:
        return today.replace(day=1)
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_bounds(first: date) -> tuple[date, date]:
    """The first day of the month and of the next month."""
    nxt = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return first, nxt


def build_month(
    first: date, today: date, gatherings: Iterable[Any], *, local_start: Any = None
) -> Month:
    """The grid for the month of ``first``; ``gatherings`` placed on the day they start
    (``local_start(g)`` gives the local start, default ``g.local_start``), in start order."""
    by_day: dict[date, list[Any]] = {}
    for g in gatherings:
        start: datetime = local_start(g) if local_start else g.local_start
        by_day.setdefault(start.date(), []).append(g)
    weeks = [
        [
            Day(
                date=d,
                in_month=d.month == first.month,
                is_today=d == today,
                gatherings=by_day.get(d, []),
            )
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
    ]
    _start, nxt = month_bounds(first)
    prev = date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)
    return Month(first=first, weeks=weeks, previous=prev, next=nxt)
