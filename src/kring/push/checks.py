"""What a subscription must look like before we store it, and where we are willing to post.

Pure functions over plain values (no database): the API, the page and the renewal share them.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError

from .models import ENDPOINT_MAX
from .vapid import b64url_decode

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def _invalid(message: object, field: str) -> DomainError:
    return DomainError(message, field=field, status=422, code="invalid")


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def local_allowed(host: str) -> bool:
    """A stand-in push service on this machine (tests, ``KRING_PUSH_ALLOW_LOCAL``)."""
    return bool(settings.KRING_PUSH_ALLOW_LOCAL) and host in LOCAL_HOSTS


def check_endpoint(endpoint: str) -> str:
    """The push service's URL for this device: https to a public host name (no user name, no
    address in a private range); http only to this machine when ``KRING_PUSH_ALLOW_LOCAL``."""
    endpoint = (endpoint or "").strip()
    if not endpoint:
        raise _invalid(_("The subscription has no endpoint."), "endpoint")
    if len(endpoint) > ENDPOINT_MAX:
        raise DomainError(
            _("The endpoint is too long (at most %(max)s characters)."),
            field="endpoint",
            status=422,
            max=ENDPOINT_MAX,
        )
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        raise _invalid(_("The endpoint is not a valid URL."), "endpoint") from None
    if parts.username or parts.password or not host or parts.fragment:
        raise _invalid(_("The endpoint is not a valid URL."), "endpoint")
    if local_allowed(host) and parts.scheme in {"http", "https"}:
        return endpoint
    if parts.scheme != "https":
        raise _invalid(_("The endpoint must be an https:// address."), "endpoint")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if not is_public_address(host):
            raise _invalid(_("The endpoint must be on the public internet."), "endpoint")
    elif not _HOST.match(host) or host == "localhost" or host.endswith((".local", ".localhost")):
        raise _invalid(_("The endpoint must be on the public internet."), "endpoint")
    return endpoint


def check_keys(p256dh: str, auth: str) -> tuple[str, str]:
    """``p256dh``: the browser's P-256 public key, 65 bytes uncompressed (0x04, x, y), on the
    curve; ``auth``: its 16-byte secret. Both base64url, as ``PushSubscription.toJSON()``."""
    try:
        point = b64url_decode(p256dh)
    except ValueError:
        point = b""
    if len(point) != 65 or point[0] != 4:
        raise _invalid(
            _("keys.p256dh must be a 65-byte uncompressed P-256 key in base64url."), "keys.p256dh"
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise _invalid(_("keys.p256dh is not a point on the P-256 curve."), "keys.p256dh") from None
    try:
        secret = b64url_decode(auth)
    except ValueError:
        secret = b""
    if len(secret) != 16:
        raise _invalid(_("keys.auth must be 16 bytes in base64url."), "keys.auth")
    return p256dh.rstrip("="), auth.rstrip("=")


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """ "Firefox, Android" from a User-Agent header: enough to tell one's devices apart."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    return ", ".join(p for p in (browser, system) if p)[:100]
