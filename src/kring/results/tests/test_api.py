"""The JSON API through the public interface, for each persona."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine

from kring.results.models import HelpRequest, RequestStatus
from kring.results.requests import services as rs

pytestmark = pytest.mark.django_db
OBJ = {
    "title": "Hours",
    "target": "100",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "visibility": "public",
}


def test_objectives_and_contributions(
    api_client: Any, host: Any, member: Any, outsider: Any, other_member: Any, network: Any
) -> None:
    assert api_client().get("/api/v1/networks/testnet/objectives").status_code == 401
    for user in (outsider, other_member):
        assert api_client(user).get("/api/v1/networks/testnet/objectives").status_code == 404
    assert (
        api_client(member)
        .post("/api/v1/networks/testnet/objectives", OBJ, content_type="application/json")
        .status_code
        == 403
    )
    h = api_client(host)
    response = h.post("/api/v1/networks/testnet/objectives", OBJ, content_type="application/json")
    assert response.status_code == 201, response.content
    oid = response.json()["id"]
    bad = h.post(
        "/api/v1/networks/testnet/objectives",
        {**OBJ, "target": "-5"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    m = api_client(member)
    url = f"/api/v1/objectives/{oid}/contributions"
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        ok = m.post(url, {"amount": "4", "date": "2026-05-01"}, content_type="application/json")
        assert ok.status_code == 201, ok.content
        neg = m.post(url, {"amount": "-4", "date": "2026-05-01"}, content_type="application/json")
        assert neg.status_code == 400 and neg.json()["errors"][0]["field"] == "amount"
        other = api_client(other_member).post(
            url, {"amount": "4", "date": "2026-05-01"}, content_type="application/json"
        )
        assert other.status_code == 404
    assert [Decimal(c["amount"]) for c in m.get(url).json()] == [4]
    assert Decimal(m.get("/api/v1/networks/testnet/objectives").json()[0]["progress"]) == 4


def test_public_request_endpoint(
    api_client: Any, public_network: Any, host: Any, settings: Any
) -> None:
    from kring.core import antispam

    settings.KRING_ANTISPAM_MAX_NUMBER = 2000
    anon = api_client()
    challenge = anon.get("/api/v1/networks/testnet/requests/challenge").json()
    body = {
        "name": "Sanne",
        "email": "s@x.example",
        "need": "A website",
        "tags": ["website"],
        "altcha": antispam.solve_challenge(challenge),
    }
    url = "/api/v1/networks/testnet/requests"
    assert anon.post(url, body, content_type="application/json").status_code == 202
    replay = anon.post(url, body, content_type="application/json")
    assert replay.status_code == 400 and replay.json()["code"] == "challenge_replayed"
    missing = anon.post(url, {**body, "altcha": ""}, content_type="application/json")
    assert missing.status_code == 400
    bot = anon.post(url, {**body, "website": "x"}, content_type="application/json")
    assert bot.status_code == 202
    assert HelpRequest.objects.count() == 1
    for _i in range(3):
        body["altcha"] = antispam.solve_challenge(
            anon.get("/api/v1/networks/testnet/requests/challenge").json()
        )
        last = anon.post(url, body, content_type="application/json")
    assert last.status_code == 429


def test_request_list_volunteer_and_status(
    api_client: Any, public_network: Any, host: Any, member: Any, other_member: Any
) -> None:
    r = rs.submit_request(network=public_network, name="N", email="n@x.example", need="x")
    assert api_client().get("/api/v1/networks/testnet/requests").status_code == 401
    assert api_client(member).get("/api/v1/networks/testnet/requests").json() == []
    hosted = api_client(host).get("/api/v1/networks/testnet/requests").json()
    assert hosted[0]["email"] == "n@x.example"
    m = api_client(member)
    assert m.post(f"/api/v1/requests/{r.pk}/volunteer").status_code == 404  # not triaged
    rs.accept_request(actor=host, request=r)
    assert api_client(other_member).post(f"/api/v1/requests/{r.pk}/volunteer").status_code == 404
    out = m.post(f"/api/v1/requests/{r.pk}/volunteer")
    assert out.status_code == 200 and out.json()["status"] == "matched"
    assert out.json()["email"] is None
    patch = m.patch(
        f"/api/v1/requests/{r.pk}", {"status": "in_progress"}, content_type="application/json"
    )
    assert patch.status_code == 200 and patch.json()["status"] == RequestStatus.IN_PROGRESS
    bad = m.patch(f"/api/v1/requests/{r.pk}", {"status": "open"}, content_type="application/json")
    assert bad.status_code == 409


def test_intentions_endpoint(api_client: Any, member: Any, outsider: Any, network: Any) -> None:
    from kring.results.services import state_intention

    state_intention(actor=member, network=network, seeks=["leads"], gives=["knowledge"])
    assert api_client(outsider).get("/api/v1/networks/testnet/intentions").status_code == 404
    data = api_client(member).get("/api/v1/networks/testnet/intentions").json()
    assert data[0]["seeks"] == ["leads"] and data[0]["gives"] == ["knowledge"]
