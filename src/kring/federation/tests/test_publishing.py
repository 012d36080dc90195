"""What a network sends: Event, Article and Note in Create/Update/Delete; the outbox; JSON-LD."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pyld import jsonld

from kring.federation import documents
from kring.federation.models import Delivery, OutboxActivity
from kring.federation.tests.jsonld_contexts import document_loader


def follow(remote: Any, network: Any) -> None:
    remote.post("/ap/n/testnet/inbox", remote.activity("Follow", documents.actor_id(network)))


def test_gathering_lifecycle_sends_create_update_delete(
    fed_network: Any, host: Any, remote: Any, gathering: Any, outgoing: Any
) -> None:
    from kring.gatherings.services import cancel_gathering, update_gathering

    follow(remote, fed_network)
    outgoing.sent.clear()
    update_gathering(actor=host, gathering=gathering, data={"title": "Borrel"})
    cancel_gathering(actor=host, gathering=gathering)
    kinds = [a["type"] for a in outgoing.activities()]
    assert kinds == ["Update", "Delete"]
    update = outgoing.activities("Update")[0]
    assert update["object"]["name"] == "Borrel"
    assert outgoing.activities("Delete")[0]["object"] == {
        "id": documents.event_id(gathering),
        "type": "Tombstone",
    }
    # One job per inbox: the remote's shared inbox.
    assert {d.inbox for d in Delivery.objects.all()} == {
        "https://remote.example/inbox",
        f"{remote.ap_id}/inbox",  # the Accept goes to the follower's own inbox
    }
    rows = list(OutboxActivity.objects.order_by("pk").values_list("kind", flat=True))
    assert rows == ["Create", "Update", "Delete"]


def test_event_has_the_properties_mobilizon_reads(gathering: Any) -> None:
    from kring.federation.publishing import event_document

    doc = event_document(gathering)
    for key in (
        "name",
        "content",
        "startTime",
        "endTime",
        "timezone",
        "location",
        "joinMode",
        "maximumAttendeeCapacity",
        "remainingAttendeeCapacity",
        "participantCount",
        "isOnline",
        "url",
    ):
        assert key in doc, key
    assert doc["location"]["type"] == "Place"
    assert doc["location"]["address"]["streetAddress"] == "Oudegracht 1, Utrecht"
    assert doc["startTime"].endswith("+01:00")  # local time with its offset
    assert doc["timezone"] == "Europe/Amsterdam"
    assert doc["maximumAttendeeCapacity"] == 2 and doc["remainingAttendeeCapacity"] == 2


def test_members_only_gathering_is_not_published(
    fed_network: Any, host: Any, remote: Any, outgoing: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kring.gatherings.services import create_gathering

    follow(remote, fed_network)
    start = timezone.now() + timedelta(days=3)
    create_gathering(
        actor=host,
        network=fed_network,
        title="Members",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    assert outgoing.activities("Create") == []


def test_public_post_is_an_article_and_goes_when_deleted(
    fed_network: Any, host: Any, remote: Any, outgoing: Any
) -> None:
    from kring.knowledge.services import create_post, delete_post, update_post

    follow(remote, fed_network)
    post = create_post(
        actor=host, network=fed_network, title="Lessons", body="**Hi**", visibility="public"
    )
    (create,) = outgoing.activities("Create")
    assert create["object"]["type"] == "Article"
    assert "<strong>Hi</strong>" in create["object"]["content"]
    update_post(actor=host, post=post, title="Lessons", body="x", visibility="members")
    assert outgoing.activities("Delete")[0]["object"]["id"] == documents.article_id(post)
    update_post(actor=host, post=post, title="Lessons", body="x", visibility="public")
    assert len(outgoing.activities("Create")) == 2
    delete_post(actor=host, post=post)
    assert len(outgoing.activities("Delete")) == 2


def test_members_only_post_is_never_sent(
    fed_network: Any, host: Any, remote: Any, outgoing: Any
) -> None:
    from kring.knowledge.services import create_post, delete_post

    follow(remote, fed_network)
    post = create_post(actor=host, network=fed_network, title="Inside", body="x")
    delete_post(actor=host, post=post)
    assert [a["type"] for a in outgoing.activities()] == ["Accept"]


def test_milestones_of_public_objectives_are_notes_once(
    fed_network: Any, host: Any, remote: Any, outgoing: Any
) -> None:
    from kring.results.services import create_objective, log_contribution

    follow(remote, fed_network)
    objective = create_objective(
        actor=host,
        network=fed_network,
        title="Coach 10 starters",
        target=Decimal(10),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        visibility="public",
    )
    log_contribution(actor=host, objective=objective, amount=Decimal(3), on=date(2026, 3, 1))
    log_contribution(actor=host, objective=objective, amount=Decimal(3), on=date(2026, 3, 2))
    notes = [a["object"] for a in outgoing.activities("Create") if a["object"]["type"] == "Note"]
    assert [n["id"].rsplit("-", 1)[1] for n in notes] == ["25", "50"]
    assert "Coach 10 starters" in notes[0]["content"]


def test_outbox_pages(fed_network: Any, host: Any, client: Any) -> None:
    from kring.knowledge.services import create_post

    for i in range(25):
        create_post(actor=host, network=fed_network, title=f"P{i}", body="x", visibility="public")
    accept = {"HTTP_ACCEPT": "application/activity+json"}
    top = client.get("/ap/n/testnet/outbox", **accept).json()
    assert top["type"] == "OrderedCollection" and top["totalItems"] == 25
    first = client.get(top["first"].replace(documents.site(), ""), **accept).json()
    assert first["type"] == "OrderedCollectionPage" and len(first["orderedItems"]) == 20
    assert first["orderedItems"][0]["object"]["name"] == "P24"  # newest first
    second = client.get(first["next"].replace(documents.site(), ""), **accept).json()
    assert len(second["orderedItems"]) == 5 and "next" not in second
    assert client.get("/ap/n/testnet/outbox?page=9").status_code == 404
    assert client.get("/ap/n/testnet/outbox?page=x").status_code == 404


@pytest.mark.parametrize("kind", ["actor", "event", "article", "outbox_page", "create"])
def test_documents_expand_as_json_ld(
    fed_network: Any, host: Any, gathering: Any, client: Any, kind: str
) -> None:
    from kring.knowledge.services import create_post

    post = create_post(actor=host, network=fed_network, title="P", body="x", visibility="public")
    paths = {
        "actor": "/ap/n/testnet",
        "event": f"/ap/n/testnet/events/{gathering.pk}",
        "article": f"/ap/n/testnet/posts/{post.pk}",
        "outbox_page": "/ap/n/testnet/outbox?page=1",
    }
    if kind == "create":
        doc = OutboxActivity.objects.filter(kind="Create").first().activity
    else:
        doc = client.get(paths[kind], HTTP_ACCEPT="application/activity+json").json()
    expanded = jsonld.expand(json.loads(json.dumps(doc)), {"documentLoader": document_loader})
    assert expanded, "nothing expanded"
    node = expanded[0]
    as_ = "https://www.w3.org/ns/activitystreams#"
    if kind == "actor":
        assert node["@type"] == [f"{as_}Group"]
        assert node["https://w3id.org/security#publicKey"][0]["@id"].endswith("#main-key")
    if kind == "event":
        assert node["@type"] == [f"{as_}Event"]
        assert node["https://joinmobilizon.org/ns#joinMode"][0]["@value"] == "free"
        assert node["https://joinmobilizon.org/ns#timezone"][0]["@value"] == "Europe/Amsterdam"
        assert "http://schema.org#remainingAttendeeCapacity" in node


def test_malformed_json_ld_does_not_expand() -> None:
    """The loader knows only the contexts we use; anything else is an error, not a fetch."""
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://evil.example/ctx", "type": "Note"},
            {"documentLoader": document_loader},
        )
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": {"@vocab": 3}, "x": 1}, {"documentLoader": document_loader})
