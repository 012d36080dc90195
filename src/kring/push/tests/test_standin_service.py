"""The real channel against a stand-in push service: a tiny HTTP server on 127.0.0.1 in a
thread, playing the push service's part. Nothing is faked on Kring's side: the subscription
goes in through the API, the message through ``notify()``, pywebpush signs and encrypts and
posts over HTTP. The stand-in checks what a real push service checks (the VAPID JWT against
the key served by ``/api/v1/push/public-key``) and then does what the browser would: decrypt
the aes128gcm body with the client's private key and auth secret (made here, as a browser
makes them)."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from kring.notify import services as notify_services
from kring.notify.services import notify
from kring.push.models import PushSubscription

from .conftest import ClientKeys


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class StandIn:
    """Records every request (header names lower-cased); answers ``status[path]`` (default 201)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status: dict[str, int] = {}
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                standin.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(standin.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"


@pytest.fixture
def standin(settings: Any) -> Iterator[StandIn]:
    settings.KRING_PUSH_ALLOW_LOCAL = True
    server = StandIn()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _check_vapid(headers: dict[str, str], public_key: str, origin: str) -> dict[str, Any]:
    scheme, _sep, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key  # the key browsers subscribed with
    head, claims, signature = parts["t"].split(".")
    assert json.loads(_unb64(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = _unb64(signature)
    assert len(raw) == 64  # JOSE: r and s, 32 bytes each
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(public_key))
    key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    data = json.loads(_unb64(claims))
    assert data["aud"] == origin
    assert data["exp"] > time.time()
    assert data["sub"].startswith("mailto:")
    return data


def test_a_message_reaches_the_stand_in_signed_encrypted_and_in_the_recipients_language(
    standin: StandIn,
    api_client: Any,
    client: Any,
    member: Any,
    host: Any,
    network: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://kring.example"
    member.language, host.language = "nl", "en"
    member.save()
    host.save()
    phones = {member.pk: ClientKeys(seed=1), host.pk: ClientKeys(seed=2)}
    for user, name in ((member, "mila"), (host, "hanna")):
        response = api_client(user).post(
            "/api/v1/me/push-subscriptions",
            phones[user.pk].json(standin.endpoint(name)),
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        notify_services.set_preferences(actor=user, choices={"host_message": {"push": "now"}})
    public_key = client.get("/api/v1/push/public-key").json()["public_key"]

    for user in (member, host):
        result = notify(
            kind="host_message",
            recipient=user,
            network=network,
            template="hostmessages/email/host_message",
            context={
                "message": SimpleNamespace(subject="Borrel", body="Tot vrijdag!"),
                "author": "Hanna Host",
                "gathering": None,
            },
            url="/n/testnet/from-the-hosts/#m1",
            idempotency_key="host_message:1",
        )
        assert result == {"email": "sent", "push": "sent"}

    assert [r["path"] for r in standin.requests] == ["/push/mila", "/push/hanna"]
    seen = {}
    for request, user in zip(standin.requests, (member, host), strict=True):
        headers = request["headers"]
        _check_vapid(headers, public_key, standin.origin)
        assert headers["content-encoding"] == "aes128gcm"
        assert headers["ttl"] == "86400"
        phone = phones[user.pk]
        plain = http_ece.decrypt(
            request["body"],
            private_key=phone.private,
            auth_secret=phone.auth_secret,
            version="aes128gcm",
        )
        seen[user.language] = json.loads(plain)
    assert seen["nl"]["title"] == "Test network: Borrel"
    assert seen["nl"]["body"].startswith("Hanna Host schrijft namens de hosts van Test network:")
    assert seen["en"]["body"].startswith(
        "Hanna Host writes on behalf of the hosts of Test network:"
    )
    for language, payload in seen.items():
        assert payload["lang"] == language
        assert payload["url"] == "https://kring.example/n/testnet/from-the-hosts/#m1"
        assert "Tot vrijdag!" in payload["body"]
    assert PushSubscription.objects.filter(last_success_at__isnull=False).count() == 2


def test_the_stand_in_says_gone_and_the_subscription_goes(
    standin: StandIn, member: Any, settings: Any
) -> None:
    from kring.push.services import subscribe_device

    phone = ClientKeys()
    subscribe_device(
        actor=member, endpoint=standin.endpoint("old"), p256dh=phone.p256dh, auth=phone.auth
    )
    notify_services.set_preferences(actor=member, choices={"message": {"push": "now"}})
    standin.status["/push/old"] = 410
    result = notify(kind="message", recipient=member, idempotency_key="m1", subject="Hi", body="x")
    assert result == {"email": "sent", "push": "sent"}
    assert len(standin.requests) == 1 and not PushSubscription.objects.exists()
