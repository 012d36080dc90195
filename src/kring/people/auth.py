"""The request type of pages and endpoints that need a signed-in person."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required`` (or an authenticated API operation): ``user`` is a
    signed-in :class:`User`, never ``AnonymousUser``. For type checking only; Django builds
    the request as usual."""

    user: User
