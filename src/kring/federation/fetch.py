"""SSRF-safe HTTP for the fediverse: https only, public addresses only, bounded size and time.

The host name is resolved once, every address is checked (no private, loopback, link-local,
multicast or reserved ranges) and the connection goes to the checked address, so a DNS answer
cannot change between the check and the request. ``KRING_FEDERATION_ALLOW_PRIVATE`` (tests,
local experiments) allows loopback and private peers over plain http.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

from . import signatures

MAX_BYTES = 1_000_000
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
TOTAL_SECONDS = 15.0
MAX_REDIRECTS = 3
USER_AGENT = "Kring (ActivityPub; +https://kring.example.org)"
AP_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class FetchError(Exception):
    """A remote request was refused, failed or gave something we do not accept."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise FetchError("the answer is not JSON") from exc


def allow_private() -> bool:
    return bool(getattr(settings, "KRING_FEDERATION_ALLOW_PRIVATE", False))


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL we may contact, or :class:`FetchError`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError("not a valid address") from exc
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and allow_private()):
        raise FetchError("only https addresses are fetched")
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise FetchError("not a valid address")
    return scheme, host, port or (443 if scheme == "https" else 80)


def _addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}") from exc
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if not ip.is_global and not allow_private():
            raise FetchError(f"{host} is not a public address")
        if (ip.is_multicast or ip.is_unspecified) or (
            ip.is_link_local and not ip.is_loopback and not allow_private()
        ):
            raise FetchError(f"{host} is not a usable address")
        addresses.append(str(ip))
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    return addresses


def _once(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
    scheme, host, port = check_url(url)
    address = _addresses(host, port)[0]
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    all_headers = {"User-Agent": USER_AGENT, "Host": parts.netloc, **headers}
    started = time.monotonic()
    try:
        raw = pool.urlopen(
            method,
            path,
            body=body,
            headers=all_headers,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        chunks, size = [], 0
        for chunk in raw.stream(65536):
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError("the answer is too large")
            if time.monotonic() - started > TOTAL_SECONDS:
                raise FetchError("the answer took too long")
            chunks.append(chunk)
        raw.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"request failed: {exc.__class__.__name__}") from exc
    finally:
        pool.close()
    return Response(
        status=raw.status,
        body=b"".join(chunks),
        headers={k.lower(): v for k, v in raw.headers.items()},
    )


def request(
    method: str, url: str, *, headers: dict[str, str] | None = None, body: bytes | None = None
) -> Response:
    """One request (GETs follow up to three redirects, each checked again)."""
    for _hop in range(MAX_REDIRECTS + 1):
        response = _once(method, url, headers or {}, body)
        if method == "GET" and response.status in {301, 302, 303, 307, 308}:
            location = response.headers.get("location")
            if not location:
                raise FetchError("redirect without a location")
            url = urljoin(url, location)
            continue
        return response
    raise FetchError("too many redirects")


def get_json(url: str, *, signer: tuple[str, str] | None = None) -> Any:
    """GET a JSON object; ``signer`` (key id, private key PEM) signs the request, for servers
    that only answer signed fetches (Mastodon's "authorized fetch")."""
    headers = {"Accept": AP_ACCEPT}
    if signer is not None:
        headers.update(
            signatures.sign_request(
                method="GET", url=url, key_id=signer[0], private_key_pem=signer[1]
            )
        )
    response = request("GET", url, headers=headers)
    if response.status != 200:
        raise FetchError(f"{url} answered {response.status}")
    data = response.json()
    if not isinstance(data, dict):
        raise FetchError("the answer is not a JSON object")
    return data
