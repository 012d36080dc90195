"""The SVG charts: readable axis labels in the reader's language."""

from __future__ import annotations

import re

from django.utils import translation

from kring.results import charts


def _tick_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', svg)


def test_axis_ticks_are_whole_numbers_for_counts() -> None:
    # a maximum of 21 gave a top of 25 and ticks 6.2, 12.5 and 18.8
    svg = charts.bar_chart([("jan", 12), ("feb", 21)], title="t", desc="d")
    ticks = _tick_labels(svg)
    assert len(ticks) == 5 and all(re.fullmatch(r"\d+", t) for t in ticks), ticks


def test_small_values_still_get_whole_ticks() -> None:
    ticks = _tick_labels(charts.bar_chart([("jan", 1), ("feb", 3)], title="t", desc="d"))
    assert ticks == ["0", "1", "2", "3", "4"]


def test_value_labels_use_the_dutch_decimal_comma() -> None:
    with translation.override("nl"):
        svg = charts.bar_chart([("jan", 1.5)], title="t", desc="d")
    assert ">1,5</text>" in svg and ">1.5</text>" not in svg
    # attributes stay machine-readable
    assert not re.search(r'\b(?:x|y|width|height)="[^"]*,', svg)
