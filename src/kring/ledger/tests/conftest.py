from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def anna(network: Any) -> Any:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="anna@test.example", profile__display_name="Anna Bakker")
    MembershipFactory(network=network, user=user)
    return user


@pytest.fixture
def paused(network: Any) -> Any:
    from kring.networks.models import MembershipStatus
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    user = UserFactory(email="paused@test.example", profile__display_name="Piet Paused")
    MembershipFactory(network=network, user=user, status=MembershipStatus.PAUSED)
    return user


@pytest.fixture(autouse=True)
def _frozen_time() -> Any:
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 28, 11, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """Assert on English messages (the Dutch catalogue is checked by the translations test)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
