"""The engagement formula: a pure function of one member's activity (no database).

Each part is a ratio between 0 and 1; a part without data (its app is not installed, or
nothing happened that could count, e.g. no gatherings in the period) is left out and the
weights of the others are scaled up. The score is the weighted mean × 100, rounded.

    attendance     30  gatherings attended / gatherings held since they joined
    agenda         15  agendas read before the meeting / gatherings attended
    action items   20  action items done on time / action items due
    introductions  15  introductions met / introductions made to them
    contributions  10  min(contributions logged / charter target, 1)
    conversation   10  min((posts + comments) / charter target, 1)

It is written on the engagement page, in the same words, so nobody has to guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEIGHTS: dict[str, int] = {
    "attendance": 30,
    "agenda": 15,
    "actions": 20,
    "introductions": 15,
    "contributions": 10,
    "conversation": 10,
}

#: The period the score looks back on (days).
PERIOD_DAYS = 90


@dataclass(frozen=True)
class Targets:
    """What the charter expects in one period (hosts may change them)."""

    contributions: int = 3
    conversation: int = 3
    attendance_share: float = 2 / 3


@dataclass
class Activity:
    """Counts for one member in one period; ``None`` means "no data source"."""

    gatherings_held: int | None = None
    gatherings_attended: int | None = None
    agendas_read: int | None = None
    actions_due: int | None = None
    actions_on_time: int | None = None
    introductions: int | None = None
    introductions_met: int | None = None
    contributions: int | None = None
    posts: int | None = None
    comments: int | None = None


@dataclass
class Score:
    score: int | None
    parts: dict[str, float] = field(default_factory=dict)  # part -> ratio 0..1
    missing: list[str] = field(default_factory=list)  # parts without data

    @property
    def has_data(self) -> bool:
        return self.score is not None


def _ratio(num: int | None, den: int | None) -> float | None:
    if num is None or den is None or den <= 0:
        return None
    return max(0.0, min(1.0, num / den))


def parts_of(activity: Activity, targets: Targets = Targets()) -> dict[str, float | None]:
    conversation = None
    if activity.posts is not None or activity.comments is not None:
        conversation = _ratio(
            (activity.posts or 0) + (activity.comments or 0), max(targets.conversation, 1)
        )
    return {
        "attendance": _ratio(activity.gatherings_attended, activity.gatherings_held),
        "agenda": _ratio(activity.agendas_read, activity.gatherings_attended),
        "actions": _ratio(activity.actions_on_time, activity.actions_due),
        "introductions": _ratio(activity.introductions_met, activity.introductions),
        "contributions": _ratio(activity.contributions, max(targets.contributions, 1)),
        "conversation": conversation,
    }


def score(activity: Activity, targets: Targets = Targets()) -> Score:
    parts = parts_of(activity, targets)
    present = {k: v for k, v in parts.items() if v is not None}
    missing = [k for k, v in parts.items() if v is None]
    if not present:
        return Score(score=None, parts={}, missing=missing)
    total_weight = sum(WEIGHTS[k] for k in present)
    value = sum(WEIGHTS[k] * v for k, v in present.items()) / total_weight
    return Score(score=round(value * 100), parts=present, missing=missing)


def meets_charter(activity: Activity, targets: Targets = Targets()) -> dict[str, bool | None]:
    """Per expectation of the charter: met (True), not yet (False) or no data (None)."""
    parts = parts_of(activity, targets)
    attendance = parts["attendance"]
    return {
        "attendance": None if attendance is None else attendance >= targets.attendance_share,
        "agenda": None if parts["agenda"] is None else parts["agenda"] >= 0.5,
        "contributions": None if parts["contributions"] is None else parts["contributions"] >= 1,
    }


def median(values: list[int]) -> float | None:
    data = sorted(values)
    if not data:
        return None
    mid = len(data) // 2
    return float(data[mid]) if len(data) % 2 else (data[mid - 1] + data[mid]) / 2


def distribution(values: list[int], *, bins: int = 5) -> list[int]:
    """Counts per band of 100/bins points (0–19, 20–39, … 80–100)."""
    counts = [0] * bins
    width = 100 / bins
    for v in values:
        counts[min(int(v // width), bins - 1)] += 1
    return counts
