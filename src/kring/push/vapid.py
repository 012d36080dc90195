"""The VAPID key pair (RFC 8292) that identifies this installation to the push services.

The private key comes from ``KRING_VAPID_PRIVATE_KEY`` (PEM, or the raw 32-byte key in
base64url) or, without it, from ``vapid_private_key.pem`` in the data folder, generated on
first use (like the development secret key). Browsers subscribe with the public key
(``applicationServerKey``); a push signed with another key is refused by the push service, so
the key must stay the same for as long as the subscriptions live.
"""

from __future__ import annotations

import base64
import os
import threading
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02

_lock = threading.Lock()
_cache: dict[tuple[str, str], Vapid02] = {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url (padding optional); raises ``ValueError`` on anything else."""
    if not isinstance(text, str) or not text or any(c in text for c in "+/ \n\t"):
        raise ValueError("not base64url")
    padded = text.rstrip("=")
    padded += "=" * (-len(padded) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _from_setting(raw: str) -> Vapid02:
    try:
        if "BEGIN" in raw:
            return Vapid02.from_pem(raw.encode())
        key = b64url_decode(raw)
        if len(key) != 32:
            raise ValueError("not 32 bytes")
        return Vapid02.from_raw(raw.encode())
    except Exception as exc:
        raise ImproperlyConfigured(
            "KRING_VAPID_PRIVATE_KEY must be a P-256 private key: PEM, or 32 bytes in base64url."
        ) from exc


def _from_file(path: Path) -> Vapid02:
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:  # whole or not at all; when two processes start at once, the first key wins
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return Vapid02.from_pem(path.read_bytes())


def signer() -> Vapid02:
    """The private key (cached per configuration)."""
    raw = settings.KRING_VAPID_PRIVATE_KEY
    path = settings.KRING_VAPID_KEY_FILE
    cache_key = (raw, str(path or ""))
    with _lock:
        if cache_key not in _cache:
            if raw:
                _cache[cache_key] = _from_setting(raw)
            elif path is not None:
                _cache[cache_key] = _from_file(Path(path))
            else:  # tests: one key per process
                _cache[cache_key] = Vapid02(private_key=ec.generate_private_key(ec.SECP256R1()))
        return _cache[cache_key]


def public_key() -> str:
    """The uncompressed P-256 public point (65 bytes) in base64url: ``applicationServerKey``."""
    point = signer().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def subject() -> str:
    """Who runs this installation (the push services may write there): ``KRING_VAPID_SUBJECT``,
    else ``mailto:`` the from-address."""
    if settings.KRING_VAPID_SUBJECT:
        return str(settings.KRING_VAPID_SUBJECT)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "kring@localhost"
    return f"mailto:{address}"
