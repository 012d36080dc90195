"""Dutch and English complete: every Dutch catalogue has a translation for every string."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(SRC.glob("**/locale/nl/LC_MESSAGES/django.po"))


def _entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) per entry, with plural forms joined."""
    entries: list[tuple[str, str, bool]] = []
    msgid = msgstr = ""
    fuzzy = False
    field = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if field is not None:
                entries.append((msgid, msgstr, fuzzy))
            msgid = msgstr = ""
            fuzzy = False
            field = None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            field = "id"
        elif line.startswith("msgid "):
            field, msgid = "id", line[6:].strip('"')
        elif line.startswith("msgstr"):
            field = "str"
            value = line.split(" ", 1)[1].strip('"')
            msgstr = msgstr + "\x00" + value if msgstr or line.startswith("msgstr[") else value
            if line.startswith("msgstr[") and not value:
                msgstr += "\x00<empty>"
        elif line.startswith('"'):
            if field == "id":
                msgid += line.strip('"')
            elif field == "str":
                msgstr += line.strip('"')
    return entries


def test_there_are_catalogues() -> None:
    assert CATALOGUES, "no Dutch catalogues found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_dutch_is_complete(path: Path) -> None:
    missing = []
    for msgid, msgstr, fuzzy in _entries(path):
        if not msgid:
            continue  # the header
        parts = msgstr.split("\x00")
        if fuzzy or not any(parts) or "<empty>" in parts:
            missing.append(msgid)
    assert not missing, f"{len(missing)} untranslated or fuzzy in {path}: {missing[:10]}"


def _unescape(text: str) -> str:
    return (
        text.replace("\\\\", "\x01")
        .replace('\\"', '"')
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\x01", "\\")
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_compiled_catalogue_matches_the_po_file(path: Path) -> None:
    """The committed .mo was compiled from the current .po (run kring compilemessages)."""
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run kring compilemessages"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    text = path.read_text(encoding="utf-8")
    stale = []
    for msgid, msgstr, fuzzy in _entries(path):
        if (
            not msgid
            or fuzzy
            or "\x00" in msgstr
            or ("msgctxt" in text and _has_context(text, msgid))
        ):
            continue
        if catalogue.gettext(_unescape(msgid)) != _unescape(msgstr):
            stale.append(msgid)
    assert not stale, f"{mo} is out of date for: {stale[:5]}"


def _has_context(text: str, msgid: str) -> bool:
    marker = f'msgid "{msgid}"'
    index = text.find(marker)
    return index > 0 and "msgctxt" in text[max(0, index - 200) : index]


def test_every_translation_is_the_one_people_see() -> None:
    """Django merges every catalogue into one: the same English string in two apps gets one
    Dutch translation, the first catalogue's (LOCALE_PATHS, then the apps in order). Two apps
    that translate it differently mean one of them shows the other's word ("Share" as a verb
    shown as "Aandeel", a share of a cost). One word per meaning; where the meanings differ,
    the string needs a context (pgettext / ``{% translate ... context ... %}``)."""
    from django.utils.translation import trans_real

    merged = trans_real.translation("nl")._catalog  # type: ignore[attr-defined]
    shadowed = []
    for path in CATALOGUES:
        with path.with_suffix(".mo").open("rb") as handle:
            own = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for key, value in own.items():
            if key and merged[key] != value:
                shown = merged[key]
                shadowed.append(
                    f"{path.relative_to(SRC).parts[0]}: {key!r} -> {value!r}, shown {shown!r}"
                )
    assert not shadowed, f"{len(shadowed)} translations shadowed:\n" + "\n".join(shadowed)


@pytest.mark.slow
def test_every_string_in_the_code_is_in_a_catalogue(tmp_path: Path, monkeypatch: Any) -> None:
    """A string marked for translation in a template or module but missing from its app's
    catalogue shows in English on a Dutch page, and the completeness test above cannot see it
    (it reads the catalogue). Extract each app afresh (makemessages on a copy) and compare."""
    import shutil

    from django.core.management import call_command

    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext; .ci/run does)")

    missing = []
    for path in CATALOGUES:
        app = path.parents[3]
        if app == SRC / "kring":
            continue  # the project catalogue (allauth's words and the shell), kept by hand
        copy = tmp_path / app.name
        shutil.copytree(app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo"))
        monkeypatch.chdir(copy)
        call_command("makemessages", locale=["nl"], ignore_patterns=["tests/*"], verbosity=0)
        fresh = {(c, i) for c, i, _ in _keys(copy / "locale/nl/LC_MESSAGES/django.po")}
        kept = {(c, i) for c, i, _ in _keys(path)}
        missing += [f"{app.name}: {key}" for key in sorted(fresh - kept, key=str)]
    assert not missing, "run makemessages for: " + "; ".join(missing)


def _keys(path: Path) -> list[tuple[str | None, str, str]]:
    """(context, msgid, msgstr) of each entry that is not obsolete."""
    import polib

    return [(e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(str(path)) if not e.obsolete]
