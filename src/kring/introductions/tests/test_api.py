from __future__ import annotations

from typing import Any

import pytest

from kring.introductions.models import Introduction, Participant, Round

pytestmark = pytest.mark.django_db


def test_host_starts_round_via_api(api_client: Any, crowd: dict[str, Any]) -> None:
    response = api_client(crowd["host"]).post(
        "/api/v1/networks/testnet/introduction-rounds",
        {"kind": "pairs"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["upper_bound"] >= data["total"]
    assert len(data["groups"]) == 3
    assert any(g["reasons"] for g in data["groups"])
    got = api_client(crowd["host"]).get(f"/api/v1/introduction-rounds/{data['id']}")
    assert got.status_code == 200 and got.json()["id"] == data["id"]


def test_round_api_permissions(
    api_client: Any,
    crowd: dict[str, Any],
    client: Any,
    outsider: Any,
    other_member: Any,
    published: Round,
) -> None:
    url = "/api/v1/networks/testnet/introduction-rounds"
    assert client.post(url, {}, content_type="application/json").status_code == 401
    assert (
        api_client(crowd["member"])
        .post(url, {"kind": "pairs"}, content_type="application/json")
        .status_code
        == 403
    )
    for user in (outsider, other_member):
        assert (
            api_client(user)
            .post(url, {"kind": "pairs"}, content_type="application/json")
            .status_code
            == 404
        )
        round_url = f"/api/v1/introduction-rounds/{published.pk}"
        assert api_client(user).get(round_url).status_code == 404
    # a member does not see a pairs round as a whole
    assert (
        api_client(crowd["member"]).get(f"/api/v1/introduction-rounds/{published.pk}").status_code
        == 404
    )


def test_tables_need_gathering(api_client: Any, crowd: dict[str, Any]) -> None:
    response = api_client(crowd["host"]).post(
        "/api/v1/networks/testnet/introduction-rounds",
        {"kind": "tables"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "gathering_id"
    response = api_client(crowd["host"]).post(
        "/api/v1/networks/testnet/introduction-rounds",
        {"kind": "tables", "gathering_id": 999, "table_size": 1, "rounds": 2},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Round.objects.exists()


def test_my_introductions_and_met(
    api_client: Any, crowd: dict[str, Any], published: Round, outsider: Any
) -> None:
    c = api_client(crowd["member"])
    data = c.get("/api/v1/networks/testnet/introductions?mine=true").json()
    assert len(data) == 1
    assert any(p["display_name"] == "Bram" for p in data[0]["partners"])
    assert any("websites" in r for r in data[0]["reasons"])
    intro_id = data[0]["id"]
    assert (
        api_client(outsider)
        .post(f"/api/v1/introductions/{intro_id}/met", {}, content_type="application/json")
        .status_code
        == 404
    )
    response = c.post(
        f"/api/v1/introductions/{intro_id}/met", {"note": "Leuk"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["outcome"] == "met"
    assert Participant.objects.get(introduction_id=intro_id, user=crowd["member"]).note == "Leuk"
    other = Introduction.objects.filter(round=published).exclude(pk=intro_id).first()
    assert (
        c.post(
            f"/api/v1/introductions/{other.pk}/met", {}, content_type="application/json"
        ).status_code
        == 404
    )
    # everyone's introductions: hosts only
    assert c.get("/api/v1/networks/testnet/introductions?mine=false").status_code == 403


def test_acquaintance_api(
    api_client: Any, crowd: dict[str, Any], published: Round, client: Any, other_member: Any
) -> None:
    data = api_client(crowd["member"]).get("/api/v1/networks/testnet/acquaintance").json()
    assert data["pairs_total"] == 15 and data["pairs_met"] == 0 and data["coverage"] == 0
    assert client.get("/api/v1/networks/testnet/acquaintance").status_code == 401
    assert api_client(other_member).get("/api/v1/networks/testnet/acquaintance").status_code == 404
