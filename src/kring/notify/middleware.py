"""Remember the language a person last used, so mail reaches them in it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from kring.core.warm import is_warm_up


class RememberLanguageMiddleware:
    """After ``LocaleMiddleware`` and authentication: when a signed-in person's browser says
    which language it wants (the language switch's cookie or an ``Accept-Language`` header)
    and that differs from the stored one, store it — one UPDATE, only on a change. Not for
    ``kring serve``'s warm-up, which renders pages in every language and writes nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not is_warm_up(request)
            and (
                settings.LANGUAGE_COOKIE_NAME in request.COOKIES
                or "HTTP_ACCEPT_LANGUAGE" in request.META
            )
        ):
            code = (translation.get_language() or "").split("-")[0]
            if code in self.codes and code != getattr(user, "language", code):
                get_user_model().objects.filter(pk=user.pk).update(language=code)
                user.language = code
        return self.get_response(request)
