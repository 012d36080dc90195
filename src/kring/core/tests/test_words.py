"""Words: Dutch dates in lower case, our words for Django's and allauth's strings."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

SRC = Path(__file__).resolve().parents[2]
TEMPLATES = [p for p in SRC.glob("**/templates/**/*") if p.suffix in {".html", ".txt"}]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "1 jan. 2026 · 3 mrt. 2026 · 5 mei 2026"),
        ("en", "1 Jan 2026 · 3 Mar 2026 · 5 May 2026"),
    ],
)
def test_short_dates(language: str, expected: str) -> None:
    days = [date(2026, 1, 1), date(2026, 3, 3), date(2026, 5, 5)]
    with translation.override(language):
        assert " · ".join(date_format(d, "SHORT_DATE_FORMAT") for d in days) == expected


def test_dutch_dates_are_lower_case() -> None:
    moment = datetime(2026, 12, 8, 19, 30)
    template = Template(
        '{{ d|date:"l j F Y" }} | {{ d|date:"SHORT_DATETIME_FORMAT" }} | {{ d|date:"D" }}'
        " | {{ d|short_month }}"
    )
    with translation.override("nl"):
        text = template.render(Context({"d": moment}))
    assert text == "dinsdag 8 december 2026 | 8 dec. 2026, 19:30 | di | dec."


def test_no_template_formats_a_date_with_a_capitalised_month() -> None:
    """Django's ``M`` capitalises the month ("8 Dec"), also in Dutch: use the named formats
    (``date:"SHORT_DATE_FORMAT"``) or ``|short_month`` (see kring/core/formats)."""
    pattern = re.compile(r"""\|date:["']([^"']*)["']""")
    offenders = []
    for path in TEMPLATES:
        for fmt in pattern.findall(path.read_text(encoding="utf-8")):
            if not fmt.isupper() and re.search(r"(?<!\\)[MN]", fmt):
                offenders.append(f"{path.relative_to(SRC)}: {fmt}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("msgid", "dutch"),
    [
        ("Sign In", "Inloggen"),
        ("Sign Out", "Uitloggen"),
        ("Sign Up", "Account maken"),
        ("Remember Me", "Ingelogd blijven"),
        (
            "Your password can’t be entirely numeric.",
            "Je wachtwoord mag niet alleen uit cijfers bestaan.",
        ),
    ],
)
def test_our_words_for_allauth_and_django(msgid: str, dutch: str) -> None:
    with translation.override("nl"):
        assert translation.gettext(msgid) == dutch
