"""Remote actors: fetched (SSRF-safe), cached with their public key, refreshed when stale.

Also the check of an incoming request's HTTP signature: the key named by ``keyId`` is taken
from the cache, or fetched; when the signature fails with a cached key the actor is fetched
again once (the key may have been rotated).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from . import fetch, signatures
from .models import RemoteActor
from .policy import domain_of

STALE_AFTER = timedelta(days=1)


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _url(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("href") or value.get("id")
    if isinstance(value, list) and value:
        return _url(value[0])
    return (
        value[:500] if isinstance(value, str) and value.startswith(("http://", "https://")) else ""
    )


def store_actor(data: Mapping[str, Any]) -> RemoteActor:
    """Create or update the cached actor from its (fetched) document."""
    ap_id = _url(data.get("id"))
    if not ap_id:
        raise fetch.FetchError("the actor has no id")
    key = data.get("publicKey") or {}
    if isinstance(key, list):
        key = key[0] if key else {}
    if not isinstance(key, dict):
        key = {}
    endpoints = data.get("endpoints") if isinstance(data.get("endpoints"), dict) else {}
    values = {
        "domain": domain_of(ap_id),
        "kind": _text(data.get("type"), 40),
        "username": _text(data.get("preferredUsername"), 255),
        "name": _text(data.get("name"), 255),
        "url": _url(data.get("url")),
        "inbox": _url(data.get("inbox")),
        "shared_inbox": _url((endpoints or {}).get("sharedInbox")),
        "key_id": _text(key.get("id"), 500),
        "public_key_pem": _text(key.get("publicKeyPem"), 10000),
        "fetched_at": timezone.now(),
    }
    actor, _created = RemoteActor.objects.update_or_create(ap_id=ap_id, defaults=values)
    return actor


def fetch_actor(
    url: str, *, refresh: bool = False, signer: tuple[str, str] | None = None
) -> RemoteActor:
    """The actor at ``url`` (a key id's fragment is dropped), from the cache when fresh."""
    url = url.split("#", 1)[0]
    cached = RemoteActor.objects.filter(ap_id=url).first()
    if cached is None and "#" not in url:
        cached = RemoteActor.objects.filter(key_id__startswith=url).first()
    if cached is not None and not refresh and timezone.now() - cached.fetched_at < STALE_AFTER:
        return cached
    data = fetch.get_json(url, signer=signer)
    if isinstance(data.get("owner"), str) and "publicKeyPem" in data:  # a key document
        data = fetch.get_json(data["owner"], signer=signer)
    actor = store_actor(data)
    if domain_of(actor.ap_id) != domain_of(url):
        raise fetch.FetchError("the actor lives on another domain than its address")
    return actor


def verify_request(
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes | None,
    signer: tuple[str, str] | None = None,
) -> RemoteActor:
    """The actor who signed this request, or :class:`signatures.SignatureError`.

    ``signer`` (key id, private key) signs the fetch of an unknown key."""
    header = headers.get("signature") or headers.get("authorization", "")
    parsed = signatures.parse_signature(header)
    try:
        actor = fetch_actor(parsed.key_id, signer=signer)
    except fetch.FetchError as exc:
        raise signatures.SignatureError(f"cannot fetch the key: {exc}") from exc
    if actor.key_id and actor.key_id != parsed.key_id:
        raise signatures.SignatureError("keyId does not belong to the actor")
    try:
        signatures.verify_request(
            method=method,
            path=path,
            headers=headers,
            body=body,
            public_key_pem=actor.public_key_pem,
            parsed=parsed,
        )
    except signatures.SignatureError:
        if timezone.now() - actor.fetched_at < timedelta(minutes=1):
            raise
        try:
            actor = fetch_actor(parsed.key_id, refresh=True, signer=signer)
        except fetch.FetchError as exc:
            raise signatures.SignatureError(f"cannot fetch the key: {exc}") from exc
        signatures.verify_request(
            method=method,
            path=path,
            headers=headers,
            body=body,
            public_key_pem=actor.public_key_pem,
            parsed=parsed,
        )
    return actor
