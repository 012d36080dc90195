from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kring.networks.access import membership_for
from kring.networks.models import Network


def network_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's public page (when switched on); members without one go home."""
    network = get_object_or_404(Network, slug=slug)
    if not network.public_page_enabled:
        if membership_for(request.user, network) is not None:
            return redirect("net:home", slug=slug)
        raise Http404
    return render(request, "public/network.html", {"network": network,
                                                   "membership": membership_for(request.user, network)})
