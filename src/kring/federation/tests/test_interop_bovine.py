"""Interoperability with an independent ActivityPub implementation: bovine (PyPI), run as the
remote peer on 127.0.0.1 beside Kring's live test server.

The peer uses bovine's own code for everything that matters: WebFinger lookup
(``lookup_with_webfinger``), request signing (``signed_post`` with a ``CryptographicSecret``),
and verification of Kring's signatures on what arrives in its inbox (``SignatureChecker``,
which fetches Kring's key from the actor document). It discovers the network, follows it,
receives the Accept and then an ``Event`` when a host publishes a gathering, replies with a
signed ``Note`` and joins the gathering (Mobilizon's ``Join``).
"""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web
from bovine.clients.lookup_account import lookup_with_webfinger
from bovine.clients.signed_http_methods import signed_post
from bovine.crypto import generate_rsa_public_private_key
from bovine.crypto.helper import content_digest_sha256
from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret

AMS = ZoneInfo("Europe/Amsterdam")
TIMEOUT = 30


class BovinePeer:
    """A minimal fediverse server built on bovine, in its own thread and event loop."""

    def __init__(self) -> None:
        self.public_pem, self.private_pem = generate_rsa_public_private_key()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.inbox: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        self.base = ""

    # -- server --
    def actor(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": f"{self.base}/users/ada",
            "type": "Person",
            "preferredUsername": "ada",
            "name": "Ada from bovine",
            "inbox": f"{self.base}/users/ada/inbox",
            "outbox": f"{self.base}/users/ada/outbox",
            "publicKey": {
                "id": f"{self.base}/users/ada#main-key",
                "owner": f"{self.base}/users/ada",
                "publicKeyPem": self.public_pem,
            },
        }

    @property
    def secret(self) -> CryptographicSecret:
        return CryptographicSecret.from_pem(f"{self.base}/users/ada#main-key", self.private_pem)

    async def _actor(self, request: web.Request) -> web.Response:
        return web.json_response(self.actor(), content_type="application/activity+json")

    async def _fetch_key(self, key_id: str) -> CryptographicIdentifier | None:
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                key_id.split("#")[0], headers={"Accept": "application/activity+json"}
            ) as response,
        ):
            doc = await response.json(content_type=None)
        key = doc["publicKey"]
        return CryptographicIdentifier.from_pem(key["publicKeyPem"], key["owner"])

    async def _inbox(self, request: web.Request) -> web.Response:
        body = await request.read()

        async def get_body() -> bytes:
            return body

        checker = SignatureChecker(key_retriever=self._fetch_key)
        signer = await checker.validate_signature(
            request.method, str(request.url), request.headers, get_body
        )
        with self.arrived:
            self.inbox.append({"activity": json.loads(body), "signer": signer})
            self.arrived.notify_all()
        return web.Response(status=202 if signer else 401)

    def start(self) -> None:
        self.thread.start()

        async def serve() -> None:
            app = web.Application()
            app.router.add_get("/users/ada", self._actor)
            app.router.add_post("/users/ada/inbox", self._inbox)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.base = f"http://127.0.0.1:{port}"
            self.runner = runner

        self.run(serve())

    def stop(self) -> None:
        self.run(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT)

    def wait_for(self, predicate: Any) -> dict[str, Any]:
        with self.arrived:
            found = self.arrived.wait_for(
                lambda: next((m for m in self.inbox if predicate(m["activity"])), None), TIMEOUT
            )
        assert found, f"nothing arrived; inbox: {[m['activity'].get('type') for m in self.inbox]}"
        return found

    # -- client --
    async def _webfinger(self, server: str, acct: str) -> str | None:
        async with aiohttp.ClientSession() as session:
            return await lookup_with_webfinger(
                session, f"{server}/.well-known/webfinger", {"resource": acct}
            )

    async def _get(self, url: str) -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, headers={"Accept": "application/activity+json"}) as response,
        ):
            return await response.json(content_type=None)

    async def _post(self, inbox: str, activity: dict[str, Any]) -> int:
        async with aiohttp.ClientSession() as session:
            response = await signed_post(
                session,
                self.secret,
                inbox,
                json.dumps(activity),
                digest_method=lambda body: ("digest", content_digest_sha256(body, "SHA-256")),
            )
            self.last_answer = await response.text()
            return response.status

    def webfinger(self, server: str, acct: str) -> str | None:
        return self.run(self._webfinger(server, acct))

    def get(self, url: str) -> dict[str, Any]:
        return self.run(self._get(url))

    def post(self, inbox: str, activity: dict[str, Any]) -> int:
        return self.run(self._post(inbox, activity))


@pytest.fixture(autouse=True)
def outgoing() -> None:
    """Real HTTP here (the package's conftest fakes it for the unit tests)."""


@pytest.fixture(autouse=True)
def _on_commit_runs_now() -> None:
    """Real commits here: tasks run after them, as in production."""


@pytest.fixture
def peer() -> Any:
    p = BovinePeer()
    p.start()
    yield p
    p.stop()


@pytest.mark.django_db(transaction=True)
def test_a_bovine_peer_finds_follows_receives_replies_and_joins(
    live_server: Any, settings: Any, peer: BovinePeer
) -> None:
    from kring.federation.models import Follower, RemoteReply
    from kring.federation.services import set_federation
    from kring.gatherings.models import Rsvp, RsvpStatus
    from kring.gatherings.services import create_gathering
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    settings.SITE_URL = live_server.url
    settings.KRING_FEDERATION_ALLOW_PRIVATE = True
    host_name = live_server.url.split("://", 1)[1]
    network = NetworkFactory(slug="anno-nu", name="Anno nu", public_page_enabled=True)
    host = UserFactory(email="host@test.example")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    set_federation(actor=host, network=network, enabled=True)

    # Discovery by WebFinger (bovine's lookup), then the actor document.
    actor_url = peer.webfinger(live_server.url, f"acct:anno-nu@{host_name}")
    assert actor_url == f"{live_server.url}/ap/n/anno-nu"
    actor = peer.get(actor_url)
    assert actor["type"] == "Group" and actor["preferredUsername"] == "anno-nu"

    # Follow, signed by bovine; Kring verifies and answers with a signed Accept.
    ada = f"{peer.base}/users/ada"
    follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{ada}/follow/1",
        "type": "Follow",
        "actor": ada,
        "object": actor_url,
    }
    assert peer.post(actor["inbox"], follow) == 202, peer.last_answer
    accept = peer.wait_for(lambda a: a["type"] == "Accept")
    assert accept["signer"] == actor_url  # bovine verified Kring's signature
    assert accept["activity"]["object"]["id"] == follow["id"]
    assert Follower.objects.get().actor.ap_id == ada

    # A host publishes an open gathering: the Event arrives, signed.
    start = datetime.now(AMS).replace(microsecond=0) + timedelta(days=7)
    gathering = create_gathering(
        actor=host,
        network=network,
        title="Borrel",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=20,
        venue_name="Café",
        venue_address="Oudegracht 1",
        open_to_guests=True,
    )
    created = peer.wait_for(lambda a: a["type"] == "Create")
    assert created["signer"] == actor_url
    event = created["activity"]["object"]
    assert event["type"] == "Event" and event["name"] == "Borrel"
    assert event["joinMode"] == "free" and event["remainingAttendeeCapacity"] == 20
    assert event["location"]["address"]["type"] == "PostalAddress"

    # A signed reply, held for moderation.
    reply = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{ada}/create/2",
        "type": "Create",
        "actor": ada,
        "object": {
            "id": f"{ada}/notes/2",
            "type": "Note",
            "attributedTo": ada,
            "inReplyTo": event["id"],
            "content": "<p>I'll bring cake</p>",
        },
    }
    assert peer.post(actor["endpoints"]["sharedInbox"], reply) == 202
    assert RemoteReply.objects.get().content == "<p>I'll bring cake</p>"

    # Mobilizon's Join: a guest place, and a signed Accept of the Join.
    join = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{ada}/join/3",
        "type": "Join",
        "actor": ada,
        "object": event["id"],
    }
    assert peer.post(actor["inbox"], join) == 202
    accepted = peer.wait_for(lambda a: a["type"] == "Accept" and a["object"].get("type") == "Join")
    assert accepted["signer"] == actor_url
    assert Rsvp.objects.get(gathering=gathering).status == RsvpStatus.GOING
    updated = peer.wait_for(lambda a: a["type"] == "Update")
    assert updated["activity"]["object"]["participantCount"] == 1
    assert all(m["signer"] == actor_url for m in peer.inbox)
