"""The app shell's own pages: where signing in lands, and the More and Manage pages.

The phone's tab bar has four destinations plus "More"; everything else a member may open
is on the More page, and every host tool on the Manage page (``kring.core.registry``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kring.core.registry import navigation

from .access import access_network
from .selectors import networks_for_user


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Signing in lands here: your network's home, or a chooser when you have several."""
    networks = list(networks_for_user(request.user))
    if len(networks) == 1:
        return redirect("net:home", networks[0].slug)
    return render(request, "networks/start.html", {"networks": networks})


@login_required
def more(request: HttpRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    nav = navigation(acc.network, request=request, is_host=acc.is_host)
    return render(
        request,
        "networks/more.html",
        {"network": acc.network, "is_host": acc.is_host, "groups": nav},
    )


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    nav = navigation(acc.network, request=request, is_host=True)
    return render(request, "networks/manage.html", {"network": acc.network, "groups": nav})
