from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=AMS)


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def gathering(network: Any, host: Any, member: Any, frozen: Any) -> Any:
    from kring.gatherings.services import create_gathering

    start = NOW + timedelta(days=10, hours=9)  # 8 December, 19:00
    return create_gathering(
        actor=host,
        network=network,
        title="Monthly gathering",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
        venue_name="De Werkplaats",
        venue_address="Oudegracht 1, Utrecht",
    )


@pytest.fixture
def make_member(network: Any) -> Any:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    def make(**kwargs: Any) -> Any:
        user = UserFactory(**kwargs)
        MembershipFactory(network=network, user=user)
        return user

    return make


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch: Any) -> None:
    """Tests run inside one transaction that never commits: run after-commit work right away
    (each service call here stands for a committed request)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Assertions below read English text; the Dutch catalogue is checked suite-wide."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def solved(settings: Any) -> Any:
    """``solved()`` → a solved anti-spam proof of work (a small challenge, for speed)."""
    from kring.core import antispam

    settings.KRING_ANTISPAM_MAX_NUMBER = 50
    return lambda: antispam.solve_challenge(antispam.create_challenge())


@pytest.fixture(autouse=True)
def _guests_welcome(request: Any) -> None:
    """Most tests here sign guests up: the test network keeps guest sign-up on (its public
    page is off). test_guest_publication.py checks the switch itself."""
    if "network" in request.fixturenames:
        network = request.getfixturevalue("network")
        network.guests_without_public_page = True
        network.save(update_fields=["guests_without_public_page"])
