from __future__ import annotations

from ninja import Schema


class ErrorItem(Schema):
    field: str | None = None
    message: str


class Error(Schema):
    detail: str
    code: str
    errors: list[ErrorItem] = []


#: Add to an operation's ``response`` mapping for the error statuses it may answer.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
