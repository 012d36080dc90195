from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .icons import icon_names
from .theme import COOKIE, THEMES


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):  # the API's one error shape, also off its routes
        return JsonResponse({"detail": "Not found.", "code": "not_found", "errors": []}, status=404)
    return render(
        request, "core/error.html", {"status": 404, "message": str(exception or "")}, status=404
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "core/error.html", {"status": 403, "message": str(exception or "")}, status=403
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 400, "message": ""}, status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html", {"status": 500, "message": ""}, status=500)


@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    """Remember "light", "dark" or "" (follow the device) in a cookie, like set_language."""
    theme = request.POST.get("theme", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if theme in THEMES and theme:
        response.set_cookie(
            COOKIE,
            theme,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(COOKIE)
    return response


def design(request: HttpRequest) -> HttpResponse:
    """The living design system: every token and component (staff, or in development)."""
    if not (settings.DEBUG or request.user.is_staff):
        raise Http404
    week = [date(2026, 1, 5) + timedelta(days=i) for i in range(7)]  # Monday to Sunday
    return render(request, "core/design.html", {"icons": icon_names(), "week": week})
