"""The domain error every use-case raises for bad input or a broken rule.

Views turn it into a form error or a message, the API into a 4xx with the one error shape.
Messages are translated (lazy) strings with named placeholders.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        **params: Any,
    ) -> None:
        self.message = message
        self.params = params
        self.field = field
        if code:
            self.code = code
        if status:
            self.status = status
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
