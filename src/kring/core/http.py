"""Small HTTP helpers shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse


def storable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Opt a page out of ``Cache-Control: no-store`` for signed-in people.

    Every response to a signed-in person (session or bearer token) is ``no-store`` by default
    (``kring.privacy.middleware``), because nearly every such page carries personal data. A
    page that is the same for everyone, or sets its own validators per viewer (the public
    network page: ETag, ``private, max-age=0``), says so with this decorator.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.storable = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
