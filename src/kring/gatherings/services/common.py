"""Shared pieces of the gatherings use-cases: the access rule and the owner check."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError, NotAllowed
from kring.gatherings.models import Gathering
from kring.networks.access import require_host as access_require_host
from kring.networks.access import require_member
from kring.networks.models import Membership, Network
from kring.people.models import User


def membership_of(actor: Any, network: Network) -> Membership:
    return require_member(actor, network, outsider_error=NotAllowed)


def require_host(actor: Any, network: Network) -> Membership:
    return access_require_host(actor, network, outsider_error=NotAllowed)


def owner_in_network(owner: User | None, gathering: Gathering) -> None:
    if (
        owner is not None
        and not Membership.objects.current()
        .filter(network_id=gathering.network_id, user=owner)
        .exists()
    ):
        raise DomainError(_("The owner must be a member of this network."), field="owner")
