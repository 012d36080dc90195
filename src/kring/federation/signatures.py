"""HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures-12, rsa-sha256).

Pure: no Django. Outgoing requests sign ``(request-target) host date digest`` (GETs without
the digest); incoming ones are checked for the same: the signed headers must include
``(request-target)``, ``host`` and ``date`` (and ``digest`` with a body), the date must be
within five minutes and the digest must match the body. ``hs2019`` is accepted as the name
Mastodon-compatible servers give the same RSA-SHA256 signature.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

MAX_SKEW = timedelta(minutes=5)
MAX_HEADER = 4096
_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


class SignatureError(Exception):
    """The request is not signed, or not signed well (the reason is in the message)."""


@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes


def generate_key_pair(bits: int = 2048) -> tuple[str, str]:
    """A new RSA key pair as (private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(now: datetime | None = None) -> str:
    return format_datetime((now or datetime.now(UTC)).astimezone(UTC), usegmt=True)


def _request_target(method: str, url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.netloc, f"{method.lower()} {path}"


def sign_request(
    *,
    method: str,
    url: str,
    key_id: str,
    private_key_pem: str,
    body: bytes | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers to send: ``Host``, ``Date``, ``Digest`` (with a body) and ``Signature``."""
    host, target = _request_target(method, url)
    headers = {"host": host, "date": http_date(now)}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest_header(body)
        names.append("digest")
    values = {"(request-target)": target, **headers}
    message = "\n".join(f"{name}: {values[name]}" for name in names).encode()
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignatureError("only RSA keys sign requests")
    signature = base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",'
        f'headers="{" ".join(names)}",signature="{signature}"'
    )
    return {name.title(): value for name, value in headers.items()}


def parse_signature(header: str) -> ParsedSignature:
    if not header or len(header) > MAX_HEADER:
        raise SignatureError("missing or oversized Signature header")
    if header.lower().startswith("signature "):  # the Authorization: Signature form
        header = header[len("signature ") :]
    params: dict[str, str] = {}
    pos = 0
    while pos < len(header):
        match = _PARAM.match(header, pos)
        if match is None:
            raise SignatureError("malformed Signature header")
        params[match.group(1)] = match.group(2)
        pos = match.end()
    try:
        key_id, signature = params["keyId"], params["signature"]
    except KeyError as exc:
        raise SignatureError("Signature header lacks keyId or signature") from exc
    algorithm = params.get("algorithm", "hs2019").lower()
    if algorithm not in {"rsa-sha256", "hs2019"}:
        raise SignatureError(f"unsupported algorithm {algorithm}")
    names = tuple(params.get("headers", "date").lower().split())
    try:
        raw = base64.b64decode(signature, validate=True)
    except ValueError as exc:
        raise SignatureError("signature is not base64") from exc
    return ParsedSignature(key_id=key_id, algorithm=algorithm, headers=names, signature=raw)


def verify_request(
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes | None,
    public_key_pem: str,
    parsed: ParsedSignature,
    now: datetime | None = None,
) -> None:
    """Raise :class:`SignatureError` unless the request is signed by this key, fresh and whole.

    ``headers`` maps lower-case header names to values; ``path`` includes the query string.
    """
    required = {"(request-target)", "host", "date"}
    if body is not None:
        required.add("digest")
    missing = required - set(parsed.headers)
    if missing:
        raise SignatureError(f"signature does not cover {', '.join(sorted(missing))}")
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as exc:
        raise SignatureError("bad Date header") from exc
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs((now or datetime.now(UTC)) - sent) > MAX_SKEW:
        raise SignatureError("Date is more than five minutes off")
    if body is not None:
        algo, _eq, value = headers.get("digest", "").partition("=")
        if algo.upper() != "SHA-256" or value != digest_header(body).partition("=")[2]:
            raise SignatureError("Digest does not match the body")
    lines = []
    for name in parsed.headers:
        if name == "(request-target)":
            lines.append(f"{name}: {method.lower()} {path}")
        elif name in headers:
            lines.append(f"{name}: {headers[name]}")
        else:
            raise SignatureError(f"signed header {name} is missing")
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
    except ValueError as exc:
        raise SignatureError("the actor's public key cannot be read") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("only RSA keys are supported")
    try:
        key.verify(parsed.signature, "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureError("signature does not verify") from exc
