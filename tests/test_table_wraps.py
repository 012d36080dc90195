"""Wide tables scroll inside a focusable, named region (docs/design.md, "table"): on a phone a
keyboard user can reach and scroll them, and a screen reader announces what they hold."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kring"
WRAP = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")
# Narrow tables that never need to scroll (two or three short columns), the month grid
# (fixed layout, fits 320 px) and tables outside the app shell (e-mails, embeds).
NARROW = {
    "ledger/templates/ledger/index.html",  # balances: name and amount, in the sidebar
    "ledger/templates/ledger/expense_detail.html",  # shares: name and amount
    "gatherings/templates/gatherings/list.html",  # the month grid
    "core/templates/core/design.html",  # shows the month grid next to the wrapped table
    "privacy/templates/privacy/benchmark_bare.html",  # a benchmark's bare page
}


def templates() -> list[Path]:
    return [
        p
        for p in SRC.rglob("templates/**/*.html")
        if "/email/" not in p.as_posix() and "/embed/" not in p.as_posix()
    ]


def test_every_table_wrap_is_a_focusable_named_region() -> None:
    problems = []
    for path in templates():
        for tag in WRAP.findall(path.read_text(encoding="utf-8")):
            missing = [
                attr
                for attr, ok in (
                    ('tabindex="0"', 'tabindex="0"' in tag),
                    ('role="region"', 'role="region"' in tag),
                    ("aria-label(ledby)", "aria-label" in tag),
                )
                if not ok
            ]
            if missing:
                problems.append(f"{path.relative_to(SRC)}: {tag} lacks {', '.join(missing)}")
    assert not problems, "\n".join(problems)


def test_every_table_is_wrapped_unless_it_is_narrow() -> None:
    problems = []
    for path in templates():
        rel = path.relative_to(SRC).as_posix()
        html = path.read_text(encoding="utf-8")
        if "<table" not in html or rel in NARROW:
            continue
        wraps = len(WRAP.findall(html))
        tables = html.count("<table")
        if wraps < tables:
            problems.append(f"{rel}: {tables} tables, {wraps} wrapped")
    assert not problems, "\n".join(problems)
