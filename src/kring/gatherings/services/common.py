"""Shared pieces of the gatherings use-cases (the owner of an item must be a member)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError
from kring.gatherings.models import Gathering
from kring.networks.models import Membership
from kring.people.models import User


def owner_in_network(owner: User | None, gathering: Gathering) -> None:
    if (
        owner is not None
        and not Membership.objects.current()
        .filter(network_id=gathering.network_id, user=owner)
        .exists()
    ):
        raise DomainError(_("The owner must be a member of this network."), field="owner")
