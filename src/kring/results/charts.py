"""Server-side, accessible SVG charts (no JavaScript, CSP-safe: presentation attributes only).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (``aria-labelledby``);
templates put a table with the same numbers next to it. Pure functions over plain data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BRAND = "#0a6b4f"
TARGET = "#b45309"
MUTED = "#6b7280"
SECOND = "#2d3a8c"
W, H = 640, 260
PAD_L, PAD_R, PAD_T, PAD_B = 52, 16, 16, 40
_ids = count(1)


def _num(v: float) -> str:
    """A label in the reader's number format: 1.5 → "1,5" in Dutch, 25.0 → "25"."""
    r = round(float(v), 1)
    return number_format(int(r) if r == int(r) else r)


def _nice_max(v: float) -> float:
    """A round top for the y axis whose four grid steps are whole numbers (no "18.8")."""
    return float(max(4, math.ceil(_round_up(v) / 4) * 4))


def _round_up(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * mag >= v:
            return float(step * mag)
    return float(10 * mag)


def _scrolling(svg: str, tid: str) -> SafeString:
    """The chart in a focusable region that scrolls sideways: the canvas is never drawn
    narrower than its 640 units, so its 12-unit labels stay at least 12 px on a phone
    (``.chart-scroll`` in kring.css, with the table's shadow cue at the edges)."""
    return mark_safe(
        f'<div class="chart-scroll" tabindex="0" role="region" aria-labelledby="{tid}">{svg}</div>'
    )


def _frame(title: str, desc: str, body: list[str], ymax: float) -> SafeString:
    n = next(_ids)
    tid, did = f"chart-t{n}", f"chart-d{n}"
    plot_h = H - PAD_T - PAD_B
    grid = []
    for i in range(5):
        val = ymax * i / 4
        y = PAD_T + plot_h - plot_h * i / 4
        grid.append(
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e5e7eb"/><text x="{PAD_L - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" font-size="12" fill="{MUTED}">{_num(val)}</text>'
        )
    svg = (
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet" width="100%">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
        + "".join(grid)
        + "".join(body)
        + "</svg>"
    )
    return _scrolling(svg, tid)


def line_chart(
    points: Sequence[tuple[str, float | Decimal]],
    *,
    title: str,
    desc: str,
    target: float | Decimal | None = None,
    total_steps: int | None = None,
    target_label: str = "",
) -> SafeString:
    """Cumulative progress per step (e.g. month) with a straight target line from 0 to
    ``target`` over ``total_steps`` steps (the whole period)."""
    steps = max(total_steps or len(points), len(points), 1)
    values = [float(v) for _l, v in points]
    ymax = _nice_max(max([*values, float(target or 0), 1.0]))
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def xy(i: float, v: float) -> tuple[float, float]:
        x = PAD_L + (plot_w * (i + 1) / steps if steps else 0)
        return x, PAD_T + plot_h - plot_h * v / ymax

    body = []
    if target:
        x0, y0 = PAD_L, PAD_T + plot_h
        x1, y1 = xy(steps - 1, float(target))
        body.append(
            f'<line x1="{x0}" y1="{y0}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{x1 - 4:.1f}" y="{y1 - 6:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TARGET}">{escape(target_label)}</text>'
        )
    if values:
        coords = [(PAD_L, PAD_T + plot_h)] + [xy(i, v) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BRAND}" stroke-width="3"/>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BRAND}"/>')
    every = max(1, steps // 12)
    for i, (label, _v) in enumerate(points):
        if i % every == 0:
            x, _y = xy(i, 0)
            body.append(
                f'<text x="{x:.1f}" y="{H - PAD_B + 16}" text-anchor="middle" '
                f'font-size="12" fill="{MUTED}">{escape(label)}</text>'
            )
    return _frame(title, desc, body, ymax)


def bar_chart(bars: Sequence[tuple[str, float | int]], *, title: str, desc: str) -> SafeString:
    values = [float(v) for _l, v in bars]
    ymax = _nice_max(max([*values, 1.0]))
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    n = max(len(bars), 1)
    slot = plot_w / n
    body = []
    for i, (label, v) in enumerate(bars):
        h = plot_h * float(v) / ymax
        x = PAD_L + i * slot + slot * 0.15
        y = PAD_T + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{BRAND}" rx="2"/>'
        )
        if v:
            body.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="12">{_num(float(v))}</text>'
            )
        body.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{H - PAD_B + 16}" '
            f'text-anchor="middle" font-size="12" fill="{MUTED}">{escape(label)}</text>'
        )
    return _frame(title, desc, body, ymax)


def paired_hbar_chart(
    rows: Sequence[tuple[str, int, int]], *, title: str, desc: str, legend: tuple[str, str]
) -> SafeString:
    """Two horizontal bars per row (e.g. how many seek / how many give a category)."""
    n = next(_ids)
    tid, did = f"chart-t{n}", f"chart-d{n}"
    label_w, row_h, top = 190, 34, 28
    height = top + row_h * len(rows) + 8
    vmax = max([1, *[max(a, b) for _l, a, b in rows]])
    plot_w = W - label_w - 40
    parts = [
        f'<rect x="{label_w}" y="4" width="12" height="12" fill="{BRAND}"/>'
        f'<text x="{label_w + 16}" y="14" font-size="12">{escape(legend[0])}</text>'
        f'<rect x="{label_w + 160}" y="4" width="12" height="12" fill="{SECOND}"/>'
        f'<text x="{label_w + 176}" y="14" font-size="12">{escape(legend[1])}</text>'
    ]
    for i, (label, a, b) in enumerate(rows):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
        )
        for j, (v, color) in enumerate(((a, BRAND), (b, SECOND))):
            w = plot_w * v / vmax
            yy = y + 3 + j * 13
            parts.append(
                f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="11" '
                f'fill="{color}" rx="2"/><text x="{label_w + w + 4:.1f}" '
                f'y="{yy + 10}" font-size="12">{v}</text>'
            )
    svg = (
        f'<svg class="chart" viewBox="0 0 {W} {height}" role="img" '
        f'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg" width="100%">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return _scrolling(svg, tid)
