"""Finding: a network whose public page is off still published its open gatherings in
calendar.ics and on guest pages. "Off" means off, unless a host keeps guest sign-up on."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kring.core.errors import NotFound
from kring.gatherings import services
from kring.networks.models import Network


@pytest.fixture
def open_gathering(gathering: Any) -> Any:
    gathering.open_to_guests = True
    gathering.description = "Deurcode 4711"
    gathering.save()
    return gathering


def _set(network: Any, *, public: bool, guests: bool) -> None:
    Network.objects.filter(pk=network.pk).update(
        public_page_enabled=public, guests_without_public_page=guests
    )
    network.refresh_from_db()


def _signup(gathering: Any) -> str:
    return reverse(
        "gatherings:guest_signup",
        kwargs={"slug": gathering.network.slug, "gathering_id": gathering.pk},
    )


def test_public_page_off_publishes_nothing(client: Any, open_gathering: Any) -> None:
    _set(open_gathering.network, public=False, guests=False)
    assert client.get("/n/testnet/calendar.ics").status_code == 404
    assert client.get(_signup(open_gathering)).status_code == 404
    with pytest.raises(NotFound):
        services.register_guest(gathering=open_gathering, name="G", email="g@example.org")


def test_a_host_can_keep_guest_sign_up_on_without_a_calendar(
    client: Any, open_gathering: Any
) -> None:
    _set(open_gathering.network, public=False, guests=True)
    assert client.get("/n/testnet/calendar.ics").status_code == 404  # still not published
    assert client.get(_signup(open_gathering)).status_code == 200
    services.register_guest(gathering=open_gathering, name="G", email="g@example.org")


def test_public_page_on_publishes_both(client: Any, open_gathering: Any) -> None:
    _set(open_gathering.network, public=True, guests=False)
    r = client.get("/n/testnet/calendar.ics")
    assert r.status_code == 200 and b"Deurcode" in r.content
    assert client.get(_signup(open_gathering)).status_code == 200
