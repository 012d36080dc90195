"""The JSON API: one NinjaAPI under /api/v1/; each domain app contributes a router.

Authentication: ``Authorization: Bearer <token>`` (tokens from the profile page or
``kring token create``) or the browser session (with CSRF). Every error has one shape:
``{"detail": str, "code": str, "errors": [...]}``.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from kring.app_registry import APPS
from kring.core.errors import DomainError
from kring.people.services import authenticate_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:

        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class ObjectBodyParser(Parser):
    """Every body this API takes is a JSON object, as the OpenAPI document says: anything
    else (``[null, null]``, a bare number or string) is refused with 400 before an operation
    runs, instead of being read as "no body"."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The body must be a JSON object.")
        return data


class SessionAuth(APIKeyCookie):
    """The browser's session (htmx and the interactive docs); CSRF-checked for writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Kring API",
    version="1.0.0",
    description=(
        "The JSON API of Kring. Authenticate with `Authorization: Bearer <token>`; create a "
        "token on your profile page or with `kring token create EMAIL`."
    ),
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth(csrf=True)],
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=ObjectBodyParser(),
)


def _error(
    request: HttpRequest, status: int, detail: str, code: str, errors: list[Any] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "code": code, "errors": errors or []}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": exc.field, "message": str(exc)}] if exc.field else []
    return _error(request, exc.status, str(exc), exc.code, errors)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "message": e.get("msg")}
        for e in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", "invalid", errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "Authentication required: send a bearer token.", "not_authenticated"
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.", "not_found")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "You may not do this.", "forbidden")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc.message), "error")


for _app in APPS:
    if _app.api:
        api.add_router("", importlib.import_module(f"{_app.module}.api").router, tags=[_app.name])
