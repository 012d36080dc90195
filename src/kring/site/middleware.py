from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from kring.networks.access import network_by_slug, request_scope


class KringMiddleware:
    """Small cross-cutting response rules.

    - htmx fragments and full pages share URLs: ``Vary: HX-Request`` keeps caches apart.
    - Pages marked private by a view (``request.no_store = True``) get ``no-store``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.htmx = request.headers.get("HX-Request") == "true"  # type: ignore[attr-defined]
        with request_scope():  # the network and the viewer's membership, fetched once
            response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        if getattr(request, "no_store", False):
            response["Cache-Control"] = "no-store"
        return response

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: dict
    ) -> None:
        """Pages under /n/<slug>/ know their network (for navigation; access is checked
        by each view through the access functions)."""
        slug = view_kwargs.get("slug")
        if slug and request.path.startswith("/n/"):
            request.network = network_by_slug(slug)  # type: ignore[attr-defined]
