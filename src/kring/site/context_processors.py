from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kring.core.registry import navigation
from kring.core.theme import theme_for
from kring.networks.access import viewer_membership
from kring.networks.models import Membership
from kring.networks.selectors import networks_for_user
from kring.people.models import User


def _reuse_profile(user: User, membership: Membership) -> None:
    """The account menu shows the viewer's photo and name: their membership was fetched with
    their profile, so the menu reads that one instead of querying it again."""
    related = User.profile.related
    mine = membership.user_id == user.pk
    if mine and not related.is_cached(user) and related.is_cached(membership.user):
        related.set_cached_value(user, related.get_cached_value(membership.user))


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
            _reuse_profile(user, membership)
    return {
        "KRING_SITE_URL": settings.SITE_URL,
        "my_networks": my_networks,
        "current_network": network,
        "current_membership": membership,
        "nav": nav,
        "theme": theme_for(request),
    }
