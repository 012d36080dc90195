from __future__ import annotations

import factory
from django.utils import timezone

from kring.networks.models import Membership, Network, Role
from kring.people.tests.factories import UserFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Network {n}")
    city = "Utrecht"
    purpose = "Help starters in Utrecht."
    charter = "Come to most gatherings."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER
    charter_accepted_at = factory.LazyFunction(timezone.now)
