"""Tenancy, enforced: every fetch of network-owned data starts here.

``access_network`` answers 404 to anyone who is not a current member (another network's
object looks exactly like a missing one) and 403 to a member where a host is required.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Membership, MembershipStatus, Network, Role


@dataclass(frozen=True)
class NetworkAccess:
    network: Network
    membership: Membership

    @property
    def is_host(self) -> bool:
        return self.membership.role == Role.HOST

    @property
    def user(self) -> Any:
        return self.membership.user


def membership_for(user: Any, network: Network) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(network=network, user=user)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("user")
        .first()
    )


def access_network(user: Any, slug: str, *, host: bool = False) -> NetworkAccess:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404(_("No such network."))
    membership = membership_for(user, network)
    if membership is None:
        raise Http404(_("No such network."))
    if host and membership.role != Role.HOST:
        raise PermissionDenied(_("Only hosts of this network can do this."))
    return NetworkAccess(network=network, membership=membership)


def access_network_by_id(user: Any, network_id: int, *, host: bool = False) -> NetworkAccess:
    slug = Network.objects.filter(pk=network_id).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404(_("No such network."))
    return access_network(user, slug, host=host)
