from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def third(network: Any) -> Any:
    """A third member of the network: never sees the member and host's conversation."""
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="third@test.example", profile__display_name="Tess Third")
    MembershipFactory(network=network, user=user)
    return user


@pytest.fixture
def peer(network: Any) -> Any:
    """Another plain member: writes to ``member`` (so the host is not in the conversation)."""
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="peer@test.example", profile__display_name="Piet O'Brien")
    MembershipFactory(network=network, user=user)
    return user


@pytest.fixture
def talk(network: Any, member: Any, peer: Any) -> Any:
    from kring.conversations import services

    conversation, _m = services.start_conversation(
        actor=peer, network=network, other_id=member.pk, body="Hoi Mila, koffie?"
    )
    return conversation
