from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kring.core.registry import navigation
from kring.core.theme import theme_for
from kring.networks.access import viewer_membership
from kring.networks.selectors import networks_for_user


def kring(request: HttpRequest) -> dict[str, Any]:
    my_networks = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        my_networks = list(networks_for_user(user))
    network = getattr(request, "network", None)
    nav = None
    membership = None
    if network is not None and user is not None and user.is_authenticated:
        membership = viewer_membership(user, network)
        if membership is not None:
            nav = navigation(network, request=request, is_host=membership.is_host)
    return {
        "KRING_SITE_URL": settings.SITE_URL,
        "my_networks": my_networks,
        "current_network": network,
        "current_membership": membership,
        "nav": nav,
        "theme": theme_for(request),
    }
