from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text is a date (pydantic alone reads ``0`` as 1970-01-01)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError("Enter a date as YYYY-MM-DD.")
    return value


#: A date in the API: ISO text only, as the OpenAPI document says (``format: date``).
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class ErrorItem(Schema):
    field: str | None = None
    message: str


class Error(Schema):
    detail: str
    code: str
    errors: list[ErrorItem] = []


#: Add to an operation's ``response`` mapping for the error statuses it may answer
#: (429: the API's rate limit, answered before the operation runs).
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


class CoverOut(Schema):
    """A cover image (``kring.core.covers``): 2:1, one absolute URL per width in pixels
    (``"480"``, ``"960"``, ``"1600"`` — only the widths the upload was large enough for)."""

    width: int
    height: int
    urls: dict[str, str]
