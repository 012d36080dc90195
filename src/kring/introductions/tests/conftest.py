from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def crowd(network: Any, host: Any, member: Any) -> dict[str, Any]:
    """The host, the member and four more people with complementary tags."""
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.services import set_profile_tags
    from kring.people.tests.factories import UserFactory

    set_profile_tags(
        profile=member.profile, tags={"seek": ["websites"], "passion": ["duurzaamheid"]}
    )
    set_profile_tags(profile=host.profile, tags={"offer": ["coaching"]})
    people = {"host": host, "member": member}
    for name, tags in [
        ("Bram", {"offer": ["websites"], "passion": ["duurzaamheid"]}),
        ("Anna", {"seek": ["coaching"]}),
        ("Carl", {"talent": ["koken"]}),
        ("Dina", {"talent": ["boekhouding"]}),
    ]:
        user = UserFactory(email=f"{name.lower()}@test.example", profile__display_name=name)
        MembershipFactory(network=network, user=user)
        set_profile_tags(profile=user.profile, tags=tags)
        people[name.lower()] = user
    return people


@pytest.fixture
def published(crowd: dict[str, Any], network: Any) -> Any:
    from kring.introductions import services

    round_ = services.start_round(actor=crowd["host"], network=network, seed=1)
    return services.publish_round(actor=crowd["host"], round_=round_)


@pytest.fixture
def client(client: Any) -> Any:
    """The Django test client, asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
