from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_in_the_one_error_shape(api_client: Any, network: Any) -> None:
    for url in [
        "/api/v1/me",
        "/api/v1/networks",
        f"/api/v1/networks/{network.slug}",
        f"/api/v1/networks/{network.slug}/members",
    ]:
        response = api_client().get(url)
        assert response.status_code == 401
        body = response.json()
        assert set(body) == {"detail", "code", "errors"} and body["code"] == "not_authenticated"


def test_bad_token_is_401(client: Any) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer kr_nope"})
    assert response.status_code == 401


def test_me_and_my_networks(api_client: Any, member: Any, network: Any, other_network: Any) -> None:
    api = api_client(member)
    me = api.get("/api/v1/me").json()
    assert me["email"] == member.email
    assert [n["network"] for n in me["networks"]] == [network.slug]
    assert [n["slug"] for n in api.get("/api/v1/networks").json()] == [network.slug]
    detail = api.get(f"/api/v1/networks/{network.slug}").json()
    assert detail["role"] == "member" and detail["purpose"] == network.purpose


@pytest.mark.parametrize("who", ["outsider", "other_member"])
def test_strangers_get_404(
    api_client: Any, network: Any, host: Any, who: str, request: Any
) -> None:
    api = api_client(request.getfixturevalue(who))
    for url in [f"/api/v1/networks/{network.slug}", f"/api/v1/networks/{network.slug}/members"]:
        response = api.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_members_email_only_for_hosts(
    api_client: Any, network: Any, host: Any, member: Any
) -> None:
    as_member = api_client(member).get(f"/api/v1/networks/{network.slug}/members").json()
    assert {m["display_name"] for m in as_member} == {"Hanna Host", "Mila Member"}
    assert all(m["email"] is None for m in as_member)
    as_host = api_client(host).get(f"/api/v1/networks/{network.slug}/members").json()
    assert {m["email"] for m in as_host} == {host.email, member.email}


def test_members_filter_by_tag(api_client: Any, network: Any, host: Any, member: Any) -> None:
    from kring.people.services import set_profile_tags

    set_profile_tags(profile=member.profile, tags={"talent": ["webdesign"]})
    rows = api_client(host).get(f"/api/v1/networks/{network.slug}/members?tag=webdesign").json()
    assert [r["display_name"] for r in rows] == ["Mila Member"]
    assert rows[0]["talents"] == ["webdesign"]


def test_openapi_document(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Kring API"
    for path in [
        "/api/v1/me",
        "/api/v1/networks",
        "/api/v1/networks/{slug}",
        "/api/v1/networks/{slug}/members",
    ]:
        assert path in doc["paths"], path
    assert client.get("/api/v1/docs").status_code == 200
