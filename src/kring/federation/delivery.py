"""Delivery: one job per inbox (shared inboxes used), signed, retried with exponential backoff.

A delivery that has not gone through after a day is marked failed. An instance whose
deliveries fail for a week is *dropped*: nothing more is sent there until it speaks to us
again (any signed request from it clears the mark).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kring.core.tasks import enqueue_on_commit
from kring.networks.models import Network

from . import documents, fetch, signatures
from .models import Delivery, DeliveryStatus, FederatedNetwork, Follower, FollowerStatus, Peer
from .policy import blocked, domain_of

logger = logging.getLogger("kring.federation")

GIVE_UP_AFTER = timedelta(days=1)
DROP_AFTER = timedelta(days=7)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def follower_inboxes(network: Network) -> list[str]:
    followers = Follower.objects.filter(network=network, status=FollowerStatus.ACCEPTED)
    inboxes: list[str] = []
    for actor in (f.actor for f in followers.select_related("actor")):
        inbox = actor.delivery_inbox
        if inbox and inbox not in inboxes and not blocked(network, actor.ap_id):
            inboxes.append(inbox)
    return inboxes


def dropped_domains() -> set[str]:
    return set(Peer.objects.filter(dropped=True).values_list("domain", flat=True))


def send(network: Network, activity: dict[str, Any], inboxes: Iterable[str]) -> list[Delivery]:
    """Queue ``activity`` for each inbox (once each), to be sent after the commit."""
    from .tasks import deliver  # tasks run this module: import when used

    dropped = dropped_domains()
    rows = []
    for inbox in dict.fromkeys(inboxes):
        domain = domain_of(inbox)
        if not domain:
            continue
        row = Delivery.objects.create(
            network=network,
            inbox=inbox,
            domain=domain,
            activity=activity,
            status=DeliveryStatus.SKIPPED if domain in dropped else DeliveryStatus.PENDING,
        )
        if row.status == DeliveryStatus.PENDING:
            enqueue_on_commit(deliver, row.pk)
        rows.append(row)
    return rows


def send_to_followers(network: Network, activity: dict[str, Any]) -> list[Delivery]:
    return send(network, activity, follower_inboxes(network))


def _peer(domain: str) -> Peer:
    peer, _created = Peer.objects.get_or_create(domain=domain)
    return peer


def peer_spoke(domain: str, now: datetime | None = None) -> None:
    """A signed request arrived from this instance: it is alive, deliver to it again."""
    now = now or timezone.now()
    Peer.objects.update_or_create(
        domain=domain, defaults={"last_heard_at": now, "dropped": False, "failing_since": None}
    )


def _succeeded(row: Delivery, now: datetime) -> None:
    row.status = DeliveryStatus.DONE
    row.delivered_at = now
    row.attempts += 1
    row.last_error = ""
    row.save(update_fields=["status", "delivered_at", "attempts", "last_error"])
    Peer.objects.update_or_create(
        domain=row.domain,
        defaults={"last_success_at": now, "failing_since": None, "dropped": False},
    )


def _failed(row: Delivery, error: str, now: datetime) -> None:
    row.attempts += 1
    row.last_error = error[:300]
    if now - row.created_at >= GIVE_UP_AFTER:
        row.status = DeliveryStatus.FAILED
    else:
        row.next_attempt_at = now + backoff(row.attempts)
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    peer = _peer(row.domain)
    peer.last_failure_at = now
    if peer.failing_since is None:
        peer.failing_since = now
    if now - peer.failing_since >= DROP_AFTER:
        peer.dropped = True
    peer.save(update_fields=["last_failure_at", "failing_since", "dropped"])


def attempt(delivery_id: int, now: datetime | None = None) -> str:
    """Try one delivery now; idempotent (a delivery that is not pending is left alone)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .select_related("network")
            .first()
        )
        if row is None:
            return "not pending"
        if Peer.objects.filter(domain=row.domain, dropped=True).exists():
            row.status = DeliveryStatus.SKIPPED
            row.save(update_fields=["status"])
            return "skipped"
        fed = FederatedNetwork.objects.filter(network=row.network).first()
        if fed is None or not fed.private_key_pem:
            row.status = DeliveryStatus.SKIPPED
            row.save(update_fields=["status"])
            return "skipped"
        row.next_attempt_at = now + backoff(row.attempts + 1)  # claimed until then
        row.save(update_fields=["next_attempt_at"])
    body = json.dumps(row.activity).encode()
    headers = signatures.sign_request(
        method="POST",
        url=row.inbox,
        key_id=documents.key_id(row.network),
        private_key_pem=fed.private_key_pem,
        body=body,
    )
    headers["Content-Type"] = "application/activity+json"
    try:
        response = fetch.request("POST", row.inbox, headers=headers, body=body)
        error = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    except fetch.FetchError as exc:
        error = str(exc)
    with transaction.atomic():
        if error:
            logger.info("delivery %s to %s failed: %s", row.pk, row.inbox, error)
            _failed(row, error, timezone.now())
            return "failed"
        _succeeded(row, timezone.now())
    return "done"


def due(now: datetime) -> list[int]:
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
