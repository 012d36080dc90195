"""The web push channel of ``kring.notify``: one encrypted message to each of a person's devices.

``notify()`` offers every message to this channel when the person has a device and chose
"at once" for its kind (off by default). What is sent: the subject, a short text from the
body, the link and the language; encrypted for the device (RFC 8291, aes128gcm), so the
push service sees only the endpoint, the size and the time. Signed with the installation's
VAPID key (RFC 8292). See ``docs/push.md``.

Outcome per device: 2xx is a success; 404/410 mean the subscription is gone (deleted); 429,
5xx and network errors are passing failures (the device's turn is retried: ``send`` raises,
the delivery is marked failed and ``notify``'s retry sends it again); other refusals (400,
401, 403, 413) will not get better by retrying and only count against the subscription,
which is deleted after :data:`MAX_FAILURES` in a row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pywebpush import WebPushException, webpush

from kring.notify.channels import Message
from kring.notify.kinds import NOW, OFF, Kind

from .checks import is_public_address, local_allowed
from .models import PushSubscription
from .vapid import signer, subject

logger = logging.getLogger(__name__)

#: How long a push service keeps a message for a device that is off (seconds).
TTL = 24 * 3600
#: Seconds to wait for a push service.
TIMEOUT = 10
#: Refusals in a row after which a subscription is removed.
MAX_FAILURES = 5
TITLE_MAX = 100
BODY_MAX = 200


class PushFailed(Exception):
    """A push service could not take the message now (429, 5xx, no connection): retry later."""


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _body_text(body: str) -> str:
    """The message's first words worth showing: without the e-mail footer and without a
    greeting line ("Hi Mila,")."""
    text = body.split("\n-- \n", 1)[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while len(lines) > 1 and lines[0].endswith(",") and len(lines[0]) <= 40:
        lines.pop(0)
    return _short(" ".join(lines), BODY_MAX)


def payload_for(message: Message) -> dict[str, str]:
    """What the device shows: already in the recipient's language (``notify`` renders it so).
    ``tag`` is the same for the same message, so a re-sent message replaces the first."""
    title = _short(message.subject, TITLE_MAX)
    body = _body_text(message.body)
    tag = hashlib.sha256(
        f"{message.kind}|{message.url}|{message.subject}|{message.body}".encode()
    ).hexdigest()[:16]
    return {
        "title": title,
        "body": body,
        "url": message.url,
        "lang": message.language,
        "kind": message.kind,
        "tag": tag,
    }


def _addresses(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)]


def reachable(endpoint: str) -> bool:
    """Only push services on the public internet (a host name that resolves to a private
    address is refused at sending time; ``checks.check_endpoint`` refused the rest)."""
    host = (urlsplit(endpoint).hostname or "").lower()
    if local_allowed(host):
        return True
    try:
        return all(is_public_address(a.split("%", 1)[0]) for a in _addresses(host))
    except (OSError, ValueError):
        return False


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy or netrc from the environment
    session.max_redirects = 0  # a push service answers; it does not redirect
    return session


def _post(sub: PushSubscription, data: str, session: requests.Session) -> int | None:
    """The push service's status code (``None``: no answer)."""
    try:
        response = webpush(
            subscription_info={
                "endpoint": sub.endpoint,
                "keys": {"p256dh": sub.p256dh, "auth": sub.auth},
            },
            data=data,
            vapid_private_key=signer(),
            vapid_claims={"sub": subject()},  # a fresh dict: webpush() fills in aud and exp
            ttl=TTL,
            timeout=TIMEOUT,
            headers={"Urgency": "normal"},
            requests_session=session,
        )
    except WebPushException as exc:
        return exc.response.status_code if exc.response is not None else None
    except requests.RequestException:
        return None
    return int(response.status_code)  # a Response (a string only with curl=True)


def deliver(*, user: Any, payload: dict[str, str]) -> int:
    """Post ``payload`` to each of the person's devices; returns how many took it. Raises
    :class:`PushFailed` when a device's push service could not take it now (after trying all)."""
    data = json.dumps(payload, ensure_ascii=False)
    passing: list[str] = []
    sent = 0
    with _session() as session:
        for sub in PushSubscription.objects.filter(user=user):
            status = _post(sub, data, session) if reachable(sub.endpoint) else 403
            if status is not None and 200 <= status < 300:
                PushSubscription.objects.filter(pk=sub.pk).update(
                    last_success_at=timezone.now(), failures=0
                )
                sent += 1
            elif status in (404, 410):
                logger.info("push: subscription %s is gone (%s); removed", sub.pk, status)
                sub.delete()
            elif status is None or status == 429 or status >= 500:
                PushSubscription.objects.filter(pk=sub.pk).update(failures=F("failures") + 1)
                passing.append(f"{sub.pk}:{status or 'no answer'}")
            else:
                logger.warning("push: subscription %s refused (%s)", sub.pk, status)
                PushSubscription.objects.filter(pk=sub.pk).update(failures=F("failures") + 1)
                PushSubscription.objects.filter(pk=sub.pk, failures__gte=MAX_FAILURES).delete()
    if passing:
        raise PushFailed("push service busy: " + ", ".join(passing))
    return sent


class PushChannel:
    """Registered in ``PushConfig.ready()``; see ``kring.notify.channels``."""

    name = "push"
    label = _("Push notification")
    modes: tuple[str, ...] = (NOW, OFF)
    settings_url = "push:devices"  # where a person adds or removes devices
    settings_label = _("Notifications on your devices")

    def default_mode(self, kind: Kind) -> str:
        return OFF  # a person turns it on, per kind

    def available_for(self, user: Any) -> bool:
        return (
            bool(getattr(user, "pk", None)) and PushSubscription.objects.filter(user=user).exists()
        )

    def send(self, message: Message) -> None:
        if message.user is None:
            return
        deliver(user=message.user, payload=payload_for(message))
