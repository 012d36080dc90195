"""Fixtures for the fediverse tests: a federated network and a fake remote instance.

Unit tests never touch the network: ``outgoing`` replaces the HTTP layer and records what
Kring sends (answering 202). ``remote`` is an actor on ``remote.example`` with its own key,
cached as Kring would cache it, that signs requests to Kring's inboxes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kring.federation import fetch, signatures

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=AMS)


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class Outgoing:
    sent: list[dict[str, Any]] = field(default_factory=list)
    status: int = 202
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def activities(self, kind: str | None = None) -> list[dict[str, Any]]:
        found = [json.loads(s["body"]) for s in self.sent if s["method"] == "POST"]
        return [a for a in found if kind is None or a.get("type") == kind]


@pytest.fixture(autouse=True)
def outgoing(monkeypatch: Any) -> Outgoing:
    out = Outgoing()

    def fake_once(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
        fetch.check_url(url)
        out.sent.append({"method": method, "url": url, "headers": headers, "body": body})
        if method == "GET":
            if url in out.documents:
                return fetch.Response(200, json.dumps(out.documents[url]).encode(), {})
            return fetch.Response(404, b"{}", {})
        return fetch.Response(out.status, b"", {})

    monkeypatch.setattr(fetch, "_once", fake_once)
    return out


@pytest.fixture
def fed_network(network: Any, host: Any) -> Any:
    from kring.federation.services import set_federation

    network.public_page_enabled = True
    network.save()
    set_federation(actor=host, network=network, enabled=True)
    network.refresh_from_db()
    return network


@dataclass
class Remote:
    """A remote actor that signs requests to Kring with its own key."""

    client: Any
    username: str = "alice"
    domain: str = "remote.example"
    keys: tuple[str, str] = field(default_factory=signatures.generate_key_pair)
    counter: int = 0

    @property
    def ap_id(self) -> str:
        return f"https://{self.domain}/users/{self.username}"

    def document(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.ap_id,
            "type": "Person",
            "preferredUsername": self.username,
            "name": self.username.title(),
            "inbox": f"{self.ap_id}/inbox",
            "endpoints": {"sharedInbox": f"https://{self.domain}/inbox"},
            "publicKey": {
                "id": f"{self.ap_id}#main-key",
                "owner": self.ap_id,
                "publicKeyPem": self.keys[1],
            },
        }

    def cache(self) -> Any:
        from kring.federation.remote import store_actor

        return store_actor(self.document())

    def next_id(self, kind: str) -> str:
        self.counter += 1
        return f"{self.ap_id}/{kind.lower()}/{self.counter}"

    def activity(self, kind: str, obj: Any, **extra: Any) -> dict[str, Any]:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.next_id(kind),
            "type": kind,
            "actor": self.ap_id,
            "object": obj,
            **extra,
        }

    def post(
        self,
        path: str,
        activity: Any,
        *,
        sign: bool = True,
        key: str | None = None,
        raw: bytes | None = None,
        date: datetime | None = None,
    ) -> Any:
        body = raw if raw is not None else json.dumps(activity).encode()
        extra: dict[str, str] = {}
        if sign:
            headers = signatures.sign_request(
                method="POST",
                url=f"http://testserver{path}",
                key_id=f"{self.ap_id}#main-key",
                private_key_pem=key or self.keys[0],
                body=body,
                now=date,
            )
            extra = {f"HTTP_{k.upper()}": v for k, v in headers.items() if k != "Host"}
        return self.client.post(path, data=body, content_type="application/activity+json", **extra)


@pytest.fixture
def remote(client: Any, db: Any, outgoing: Outgoing) -> Remote:
    peer = Remote(client=client)
    peer.cache()
    outgoing.documents[peer.ap_id] = peer.document()
    return peer


@pytest.fixture
def gathering(fed_network: Any, host: Any) -> Any:
    from kring.gatherings.services import create_gathering

    start = datetime.now(AMS).replace(microsecond=0) + timedelta(days=10)
    return create_gathering(
        actor=host,
        network=fed_network,
        title="Monthly gathering",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=2,
        venue_name="De Werkplaats",
        venue_address="Oudegracht 1, Utrecht",
        open_to_guests=True,
    )


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch: Any) -> None:
    """Run ``transaction.on_commit`` callbacks at once (the test's transaction never commits)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
