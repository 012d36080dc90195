"""Fill a Dutch .po catalogue from a Python dict of translations (a maintenance helper).

Usage: python tools/fill_po.py [--force] TRANSLATIONS.py FILE.po [FILE.po ...]
TRANSLATIONS.py defines NL = {msgid: msgstr or (singular, plural)}; an entry with a context
is keyed ``"context\x04msgid"`` (as gettext stores it). Entries already translated are kept
unless ``--force`` is given (to change a word everywhere); fuzzy flags on filled entries are
removed. Prints what is still missing.
"""

from __future__ import annotations

import re
import runpy
import sys

FIELDS = ("msgctxt ", "msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ", "msgstr[1] ")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def unquote(lines: list[str]) -> str:
    raw = "".join(re.findall(r'^"(.*)"$', "\n".join(lines), re.M))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def fill(path: str, table: dict, *, force: bool = False) -> list[str]:
    text = open(path, encoding="utf-8").read()
    blocks = text.split("\n\n")
    missing = []
    out = [blocks[0]]
    for block in blocks[1:]:
        lines = block.splitlines()
        idx = {
            name: i for i, line in enumerate(lines) for name in [*FIELDS] if line.startswith(name)
        }

        def value(start: str) -> str:
            i = idx[start]
            first = lines[i][len(start) :]
            more = []
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                more.append(lines[j])
                j += 1
            return unquote([first, *more])

        def span(start: str) -> tuple[int, int]:
            i = idx[start]
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                j += 1
            return i, j

        if "msgid " not in idx:
            out.append(block)
            continue
        msgid = value("msgid ")
        if "msgctxt " in idx:
            msgid = value("msgctxt ") + "\x04" + msgid
        plural = "msgid_plural " in idx
        translated = (
            (value("msgstr[0] ") if plural else value("msgstr "))
            if ("msgstr[0] " in idx or "msgstr " in idx)
            else ""
        )
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if translated and not fuzzy and not (force and msgid in table):
            out.append(block)
            continue
        if msgid not in table:
            missing.append(msgid)
            out.append(block)
            continue
        target = table[msgid]
        lines = [
            re.sub(r",\s*fuzzy", "", line) if line.startswith("#,") else line for line in lines
        ]
        lines = [line for line in lines if line.strip() != "#,"]
        lines = [line for line in lines if not line.startswith("#| ")]
        idx = {
            name: i
            for i, line in enumerate(lines)
            for name in ["msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ", "msgstr[1] "]
            if line.startswith(name)
        }
        if plural:
            one, many = target if isinstance(target, tuple) else (target, target)
            a, _ = span("msgstr[0] ")
            lines = lines[:a] + [f"msgstr[0] {quote(one)}", f"msgstr[1] {quote(many)}"]
        else:
            a, _ = span("msgstr ")
            lines = lines[:a] + [f"msgstr {quote(target)}"]
        out.append("\n".join(lines))
    open(path, "w", encoding="utf-8").write("\n\n".join(out))
    return missing


if __name__ == "__main__":
    args = sys.argv[1:]
    force = "--force" in args
    args = [a for a in args if a != "--force"]
    table = runpy.run_path(args[0])["NL"]
    for po in args[1:]:
        missing = fill(po, table, force=force)
        print(po, "missing:", len(missing))
        for m in missing:
            print("   ", repr(m))
