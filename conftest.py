"""Shared fixtures: the personas every permission test uses.

- ``network`` with a ``host`` and a ``member``;
- ``outsider``: an account in no network;
- ``other_network`` with ``other_member``: a member of another network.
Log a persona in with ``client.force_login(...)``; ``api_client(user)`` gives a Django test
client that sends that user's bearer token.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    """Redis (REDIS_URL) is not rolled back with the test transaction: start each test clean."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from kring.core.testing import clear_cache

        clear_cache()


@pytest.fixture
def render_every_request(settings: Any) -> None:
    """For tests of what rendering a page costs (its queries): no member page cache
    (kring.core.pagecache), every request renders."""
    settings.KRING_PAGE_CACHE = False


@pytest.fixture
def network(db: Any) -> Any:
    from kring.networks.tests.factories import NetworkFactory

    return NetworkFactory(slug="testnet", name="Test network")


@pytest.fixture
def host(network: Any) -> Any:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="host@test.example", profile__display_name="Hanna Host")
    MembershipFactory(network=network, user=user, role=Role.HOST)
    return user


@pytest.fixture
def member(network: Any) -> Any:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="member@test.example", profile__display_name="Mila Member")
    MembershipFactory(network=network, user=user)
    return user


@pytest.fixture
def outsider(db: Any) -> Any:
    from kring.people.tests.factories import UserFactory

    return UserFactory(email="outsider@test.example", profile__display_name="Otto Outsider")


@pytest.fixture
def other_network(db: Any) -> Any:
    from kring.networks.tests.factories import NetworkFactory

    return NetworkFactory(slug="othernet", name="Other network")


@pytest.fixture
def other_member(other_network: Any) -> Any:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="other@test.example", profile__display_name="Olga Other")
    MembershipFactory(network=other_network, user=user)
    return user


@pytest.fixture
def api_client(db: Any) -> Any:
    """``api_client(user)`` → a test client authenticated with a fresh bearer token."""
    from django.test import Client

    from kring.people.services import create_api_token

    def make(user: Any = None) -> Any:
        if user is None:
            return Client()
        _token, raw = create_api_token(user=user)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make
