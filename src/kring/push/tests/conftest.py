from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kring.push import channel
from kring.push.vapid import b64url


class ClientKeys:
    """What a browser makes when it subscribes: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self, seed: int = 1) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = bytes((seed + i) % 256 for i in range(16))
        point = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(point)
        self.auth = b64url(self.auth_secret)

    def json(self, endpoint: str, **extra: Any) -> dict[str, Any]:
        return {"endpoint": endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}, **extra}


@pytest.fixture
def keys() -> ClientKeys:
    return ClientKeys()


@pytest.fixture(autouse=True)
def _public_dns(monkeypatch: Any) -> None:
    """No network in tests: every push service host name resolves to a public address."""
    monkeypatch.setattr(channel, "_addresses", lambda host: ["93.184.215.14"])
