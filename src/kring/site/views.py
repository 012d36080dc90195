from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kring.networks.selectors import public_networks


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: networks with a public page, and the visitor's own networks."""
    return render(request, "core/home.html", {"public_networks": public_networks()})
