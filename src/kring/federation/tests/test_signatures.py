"""draft-cavage HTTP signatures: ours, checked both ways against bovine's implementation."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from bovine.crypto.helper import content_digest_sha256
from bovine.crypto.http_signature import build_signature
from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret

from kring.federation import signatures

KEYS = signatures.generate_key_pair()
URL = "https://kring.example.org/ap/n/anno-nu/inbox?x=1"
BODY = json.dumps({"type": "Follow"}).encode()


def lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def verify(headers: dict[str, str], body: bytes | None = BODY, **kw: object) -> None:
    h = lower(headers)
    signatures.verify_request(
        method="POST",
        path="/ap/n/anno-nu/inbox?x=1",
        headers=h,
        body=body,
        public_key_pem=KEYS[1],
        parsed=signatures.parse_signature(h["signature"]),
        **kw,  # type: ignore[arg-type]
    )


def signed(**kw: object) -> dict[str, str]:
    return signatures.sign_request(
        method="POST", url=URL, key_id="k#main-key", private_key_pem=KEYS[0], body=BODY, **kw
    )  # type: ignore[arg-type]


def test_round_trip() -> None:
    headers = signed()
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    assert headers["Host"] == "kring.example.org"
    verify(headers)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h: h.update(Digest="SHA-256=AAAA"), "Digest"),
        (lambda h: h.update(Host="evil.example"), "does not verify"),
        (lambda h: h.update(Signature=h["Signature"].replace("digest", "")), "does not cover"),
        (lambda h: h.update(Signature='keyId="k",signature="%%%"'), "base64"),
        (
            lambda h: h.update(Signature='keyId="k",algorithm="hmac-sha256",signature="AA=="'),
            "algorithm",
        ),
        (lambda h: h.update(Signature="garbage"), "malformed"),
    ],
)
def test_refusals(change: object, reason: str) -> None:
    headers = signed()
    change(headers)  # type: ignore[operator]
    with pytest.raises(signatures.SignatureError, match=reason):
        verify(headers)


def test_skew_of_more_than_five_minutes() -> None:
    headers = signed(now=datetime.now(UTC) - timedelta(minutes=6))
    with pytest.raises(signatures.SignatureError, match="five minutes"):
        verify(headers)
    verify(signed(now=datetime.now(UTC) - timedelta(minutes=4)))


def test_bovine_verifies_our_signature() -> None:
    # bovine leaves the query string out of (request-target); inboxes have none.
    url = URL.split("?")[0]
    headers = lower(
        signatures.sign_request(
            method="POST", url=url, key_id="k#main-key", private_key_pem=KEYS[0], body=BODY
        )
    )

    async def key(key_id: str) -> CryptographicIdentifier:
        assert key_id == "k#main-key"
        return CryptographicIdentifier.from_pem(KEYS[1], "https://kring.example.org/ap/n/x")

    async def body() -> bytes:
        return BODY

    checker = SignatureChecker(key_retriever=key)
    owner = asyncio.run(checker.validate_signature("POST", url, headers, body))
    assert owner == "https://kring.example.org/ap/n/x"


def test_we_verify_bovines_signature() -> None:
    secret = CryptographicSecret.from_pem("k#main-key", KEYS[0])
    date = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    helper = (
        build_signature("kring.example.org", "post", "/ap/n/anno-nu/inbox?x=1")
        .with_field("date", date)
        .with_field("digest", content_digest_sha256(BODY, "SHA-256"))
        .with_field("content-type", "application/activity+json")
    )
    headers = {**helper.headers, "signature": helper.sign_for_http_draft(secret)}
    verify(headers)
