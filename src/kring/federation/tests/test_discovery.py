"""WebFinger, NodeInfo, the actor (also by content negotiation), the API and the host pages."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from kring.federation import documents
from kring.federation.models import RemoteReply, ReplyStatus

AP = {"HTTP_ACCEPT": "application/activity+json"}


def test_webfinger_finds_a_federated_network(fed_network: Any, client: Any) -> None:
    host = documents.site_host()
    response = client.get("/.well-known/webfinger", {"resource": f"acct:testnet@{host}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jrd+json")
    jrd = response.json()
    assert jrd["subject"] == f"acct:testnet@{host}"
    self_link = next(link for link in jrd["links"] if link["rel"] == "self")
    assert self_link == {
        "rel": "self",
        "type": "application/activity+json",
        "href": documents.actor_id(fed_network),
    }


@pytest.mark.parametrize(
    "resource", ["acct:testnet@elsewhere.example", "acct:nobody@127.0.0.1:8000", "acct:x"]
)
def test_webfinger_404s(fed_network: Any, client: Any, resource: str) -> None:
    assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404


def test_webfinger_without_resource_is_400(client: Any, db: Any) -> None:
    assert client.get("/.well-known/webfinger").status_code == 400


def test_webfinger_404_for_a_network_not_federated(network: Any, client: Any) -> None:
    network.public_page_enabled = True
    network.save()
    resource = f"acct:testnet@{documents.site_host()}"
    assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404
    assert client.get("/ap/n/testnet", **AP).status_code == 404


def test_nodeinfo(fed_network: Any, client: Any) -> None:
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    info = client.get("/nodeinfo/2.1").json()
    assert info["version"] == "2.1" and info["protocols"] == ["activitypub"]
    assert info["software"]["name"] == "kring"
    assert info["usage"]["users"]["total"] == 1


def test_actor_document_and_content_negotiation(fed_network: Any, client: Any) -> None:
    actor = client.get("/ap/n/testnet", **AP)
    assert actor["Content-Type"].startswith("application/activity+json")
    doc = actor.json()
    assert doc["type"] == "Group" and doc["preferredUsername"] == "testnet"
    for key in ("inbox", "outbox", "followers", "publicKey", "summary", "name", "url"):
        assert doc[key]
    assert doc["endpoints"]["sharedInbox"].endswith("/ap/inbox")
    assert "BEGIN PUBLIC KEY" in doc["publicKey"]["publicKeyPem"]
    negotiated = client.get("/n/testnet/", **AP)
    assert negotiated.json() == doc
    ld = client.get(
        "/n/testnet/",
        HTTP_ACCEPT='application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    )
    assert ld.json()["id"] == doc["id"]
    html = client.get("/n/testnet/")
    assert html["Content-Type"].startswith("text/html")
    assert "Accept" in html["Vary"]
    assert f"@testnet@{documents.site_host()}" in html.content.decode()


def test_followers_collection_shows_only_a_count(fed_network: Any, client: Any) -> None:
    doc = client.get("/ap/n/testnet/followers", **AP).json()
    assert doc == {
        "@context": documents.AS_CONTEXT,
        "id": documents.followers_url(fed_network),
        "type": "OrderedCollection",
        "totalItems": 0,
    }


def test_members_only_objects_are_not_served(
    fed_network: Any, host: Any, gathering: Any, client: Any
) -> None:
    from kring.knowledge.services import create_post

    post = create_post(actor=host, network=fed_network, title="Inside", body="x")
    assert client.get(f"/ap/n/testnet/posts/{post.pk}", **AP).status_code == 404
    assert client.get(f"/ap/n/testnet/events/{gathering.pk}", **AP).status_code == 200
    gathering.open_to_guests = False
    gathering.save()
    assert client.get(f"/ap/n/testnet/events/{gathering.pk}", **AP).status_code == 404


def test_key_rotation_changes_the_public_key(fed_network: Any, host: Any, client: Any) -> None:
    from kring.federation.services import rotate_key

    before = client.get("/ap/n/testnet", **AP).json()["publicKey"]["publicKeyPem"]
    rotate_key(actor=host, network=fed_network)
    after = client.get("/ap/n/testnet", **AP).json()["publicKey"]["publicKeyPem"]
    assert before != after


def test_federation_needs_the_public_page(network: Any, host: Any) -> None:
    from kring.core.errors import Conflict
    from kring.federation.services import set_federation

    with pytest.raises(Conflict):
        set_federation(actor=host, network=network, enabled=True)


# --- API -----------------------------------------------------------------------------------


def test_api_get_and_patch(fed_network: Any, host: Any, api_client: Any) -> None:
    api = api_client(host)
    got = api.get("/api/v1/networks/testnet/federation")
    assert got.status_code == 200
    assert got.json() == {
        "enabled": True,
        "handle": f"@testnet@{documents.site_host()}",
        "followers": 0,
        "pending_replies": 0,
        "failing_peers": 0,
    }
    off = api.patch(
        "/api/v1/networks/testnet/federation", {"enabled": False}, content_type="application/json"
    )
    assert off.status_code == 200 and off.json()["enabled"] is False


def test_api_patch_without_public_page_is_409(network: Any, host: Any, api_client: Any) -> None:
    response = api_client(host).patch(
        "/api/v1/networks/testnet/federation", {"enabled": True}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("outsider", 404), ("other_member", 404)]
)
def test_api_personas(
    fed_network: Any, api_client: Any, request: Any, persona: str, status: int
) -> None:
    user = request.getfixturevalue(persona)
    api = api_client(user)
    assert api.get("/api/v1/networks/testnet/federation").status_code == status
    patch = api.patch(
        "/api/v1/networks/testnet/federation", {"enabled": False}, content_type="application/json"
    )
    assert patch.status_code == status


# --- Host pages ----------------------------------------------------------------------------

PAGES = [
    "/n/testnet/federation/",
    "/n/testnet/federation/followers/",
    "/n/testnet/federation/replies/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_personas(fed_network: Any, client: Any, request: Any, path: str) -> None:
    assert client.get(path).status_code == 302  # anonymous: log in
    for persona, status in (
        ("outsider", 404),
        ("other_member", 404),
        ("member", 403),
        ("host", 200),
    ):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(path).status_code == status, persona


def test_host_turns_federation_on_and_off(network: Any, host: Any, client: Any) -> None:
    network.public_page_enabled = True
    network.save()
    client.force_login(host)
    response = client.post("/n/testnet/federation/", {"enabled": "on"})
    assert response.status_code == 302
    assert client.get("/ap/n/testnet", **AP).status_code == 200
    off = client.post("/n/testnet/federation/", {})  # both boxes unticked
    assert off.status_code == 302, off.content.decode()[:3000]
    assert client.get("/ap/n/testnet", **AP).status_code == 404


def test_moderation_page_approves_a_reply(
    fed_network: Any, host: Any, remote: Any, gathering: Any, client: Any
) -> None:
    remote.post(
        "/ap/inbox",
        remote.activity(
            "Create",
            {
                "id": remote.next_id("note"),
                "type": "Note",
                "attributedTo": remote.ap_id,
                "inReplyTo": documents.event_id(gathering),
                "content": "<p>Hello there</p>",
            },
        ),
    )
    reply = RemoteReply.objects.get()
    client.force_login(host)
    page = client.get("/n/testnet/federation/replies/").content.decode()
    assert "Hello there" in page
    client.post(f"/n/testnet/federation/replies/{reply.pk}/approve/")
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.APPROVED
    assert client.post(f"/n/testnet/federation/replies/{reply.pk}/nonsense/").status_code == 404


def test_moderation_of_another_networks_reply_is_404(
    fed_network: Any,
    other_network: Any,
    other_member: Any,
    remote: Any,
    gathering: Any,
    client: Any,
) -> None:
    from kring.networks.models import Membership, Role

    Membership.objects.filter(user=other_member).update(role=Role.HOST)
    reply = RemoteReply.objects.create(
        network=fed_network,
        actor=remote.cache(),
        ap_id="https://remote.example/n/1",
        in_reply_to=documents.event_id(gathering),
        gathering=gathering,
        content="x",
    )
    client.force_login(other_member)
    client.post(f"/n/othernet/federation/replies/{reply.pk}/approve/")
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.HELD


def test_host_blocks_a_domain_from_the_page(
    fed_network: Any, host: Any, remote: Any, client: Any
) -> None:
    from kring.federation.models import Block, Follower

    remote.post("/ap/n/testnet/inbox", remote.activity("Follow", documents.actor_id(fed_network)))
    assert Follower.objects.count() == 1
    client.force_login(host)
    client.post(
        "/n/testnet/federation/blocks/", {"kind": "domain", "value": "https://remote.example/"}
    )
    assert Block.objects.get().value == "remote.example"
    assert Follower.objects.count() == 0
    response = client.post("/n/testnet/federation/blocks/", {"kind": "domain", "value": "nodot"})
    assert response.status_code == 302
    assert Block.objects.count() == 1


def test_actor_icon_and_header_are_pngs(fed_network: Any, client: Any) -> None:
    doc = client.get("/ap/n/testnet", **AP).json()
    for key, size in (("icon", (400, 400)), ("image", (1500, 500))):
        assert doc[key]["mediaType"] == "image/png"
        response = client.get(doc[key]["url"].replace(documents.site(), ""))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(BytesIO(response.content)).size == size
    assert client.get("/ap/n/testnet/other.png").status_code == 404
