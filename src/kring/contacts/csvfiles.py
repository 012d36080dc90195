"""Reading people from CSV exports (LinkedIn connections, Meetup members, any spreadsheet).

Pure Python (no Django): decoding (UTF-8 with or without BOM, UTF-16 with a BOM as Excel's
"Unicode text" writes it, else Windows-1252 as Excel's CSV writes it), finding the header
(LinkedIn puts a few "Notes:" lines above it), guessing which column holds what, and turning
rows into people. Bounded: at most ``MAX_ROWS`` rows.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000

#: What a column can hold; "" means: ignore the column.
FIELDS = ("name", "first_name", "last_name", "email", "company", "position")

KNOWN_HEADERS = {
    "name": "name",
    "naam": "name",
    "full name": "name",
    "volledige naam": "name",
    "first name": "first_name",
    "firstname": "first_name",
    "voornaam": "first_name",
    "last name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "achternaam": "last_name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "e-mailadres": "email",
    "emailadres": "email",
    "company": "company",
    "organisation": "company",
    "organization": "company",
    "bedrijf": "company",
    "organisatie": "company",
    "position": "position",
    "title": "position",
    "functie": "position",
    "job title": "position",
}


class NotACsv(ValueError):
    """The file is not a CSV we can read; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was in. UTF-16 when it starts with its byte-order mark,
    else UTF-8 (BOM or not), then Windows-1252."""
    if raw.startswith(b"PK\x03\x04"):
        raise NotACsv("excel")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise NotACsv("binary") from exc
    if b"\x00" in raw[:4096]:
        raise NotACsv("binary")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    source: str  # "linkedin", "meetup" or "csv"
    skipped_preamble: int = 0
    truncated: bool = False


def _delimiter(text: str) -> str:
    sample = text[:8192]
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def read_table(text: str) -> Table:
    """Find the header row among the first lines and read the rows below it."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        lines = []
        for i, row in enumerate(reader):
            lines.append(row)
            if i > MAX_ROWS + 20:
                break
    except csv.Error as exc:
        raise NotACsv("broken") from exc
    header_at = None
    for i, row in enumerate(lines[:20]):
        known = sum(1 for c in row if c.strip().lower() in KNOWN_HEADERS)
        if known >= 1 and len(row) >= 2:
            header_at = i
            break
    if header_at is None:
        wide = [i for i, row in enumerate(lines[:20]) if len(row) >= 2]
        if not wide:
            raise NotACsv("no_columns")
        header_at = wide[0]
    header = [c.strip() for c in lines[header_at]]
    body = [r for r in lines[header_at + 1 :] if any(c.strip() for c in r)]
    lowered = {h.lower() for h in header}
    if {"first name", "last name", "connected on"} <= lowered:
        source = "linkedin"
    elif "member id" in lowered or "joined group on" in lowered:
        source = "meetup"
    else:
        source = "csv"
    return Table(
        header=header,
        rows=body[:MAX_ROWS],
        source=source,
        skipped_preamble=header_at,
        truncated=len(body) > MAX_ROWS,
    )


def guess_mapping(header: list[str]) -> list[str]:
    """For each column, the field it probably holds ("" to ignore); each field used once."""
    used: set[str] = set()
    out = []
    for h in header:
        f = KNOWN_HEADERS.get(h.strip().lower(), "")
        if f in used:
            f = ""
        used.add(f)
        out.append(f)
    return out


@dataclass
class Person:
    line: int  # 1-based row number below the header
    name: str
    email: str
    company: str = ""
    position: str = ""
    raw: list[str] = field(default_factory=list)


def people(table: Table, mapping: list[str]) -> list[Person]:
    out = []
    for i, row in enumerate(table.rows, start=1):
        values: dict[str, str] = {}
        for col, f in enumerate(mapping):
            if f and col < len(row):
                values[f] = row[col].strip()
        name = values.get("name") or " ".join(
            p for p in (values.get("first_name", ""), values.get("last_name", "")) if p
        )
        out.append(
            Person(
                line=i,
                name=name[:200],
                email=values.get("email", "").strip().lower(),
                company=values.get("company", "")[:200],
                position=values.get("position", "")[:200],
                raw=row,
            )
        )
    return out
