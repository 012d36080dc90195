from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


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
