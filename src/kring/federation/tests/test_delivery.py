"""Delivery retries, failing and dropped peers; SSRF-safe fetching."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from kring.federation import delivery, fetch
from kring.federation.models import Delivery, DeliveryStatus, Peer
from kring.federation.tasks import retry_tick


def queue(network: Any) -> Delivery:
    (row,) = delivery.send(network, {"type": "Note", "id": "x"}, ["https://down.example/inbox"])
    return row


def test_backoff_doubles_and_is_capped() -> None:
    assert [delivery.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert delivery.backoff(30) == timedelta(hours=6)


def test_failing_delivery_retries_then_fails_after_a_day(fed_network: Any, outgoing: Any) -> None:
    outgoing.status = 503
    row = queue(fed_network)  # first attempt at once (immediate task backend)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1
    assert row.last_error == "HTTP 503"
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert retry_tick(timezone.now()) == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.status == DeliveryStatus.PENDING
    with time_machine.travel(start + timedelta(days=1, minutes=1), tick=False):
        retry_tick(timezone.now())
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    with time_machine.travel(start + timedelta(days=2), tick=False):
        assert retry_tick(timezone.now()) == 0
    assert Peer.objects.get(domain="down.example").failing_since is not None


def test_peer_failing_for_a_week_is_dropped_until_it_speaks(
    fed_network: Any, outgoing: Any
) -> None:
    outgoing.status = 500
    Peer.objects.create(domain="down.example", failing_since=timezone.now() - timedelta(days=8))
    queue(fed_network)
    assert Peer.objects.get(domain="down.example").dropped
    skipped = queue(fed_network)
    assert skipped.status == DeliveryStatus.SKIPPED
    posts = [s for s in outgoing.sent if s["method"] == "POST"]
    assert len(posts) == 1
    delivery.peer_spoke("down.example")
    peer = Peer.objects.get(domain="down.example")
    assert not peer.dropped and peer.failing_since is None
    outgoing.status = 202
    assert queue(fed_network).status == DeliveryStatus.PENDING
    assert Delivery.objects.filter(status=DeliveryStatus.DONE).count() == 1


def test_success_clears_the_failing_mark(fed_network: Any, outgoing: Any) -> None:
    Peer.objects.create(domain="down.example", failing_since=timezone.now())
    row = queue(fed_network)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DONE
    assert Peer.objects.get(domain="down.example").failing_since is None


def test_one_job_per_shared_inbox(fed_network: Any, client: Any, outgoing: Any) -> None:
    from kring.federation import documents
    from kring.federation.tests.conftest import Remote

    for name in ("a", "b", "c"):
        peer = Remote(client=client, username=name)
        peer.cache()
        peer.post("/ap/n/testnet/inbox", peer.activity("Follow", documents.actor_id(fed_network)))
    assert delivery.follower_inboxes(fed_network) == ["https://remote.example/inbox"]


# --- fetch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/actor",
        "ftp://example.org/x",
        "https://user:pw@example.org/x",
        "https:///nohost",
        "https://[::1",
    ],
)
def test_only_plain_https_addresses(url: str) -> None:
    with pytest.raises(fetch.FetchError):
        fetch.check_url(url)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.0.9", "169.254.169.254", "::1", "fd00::1", "0.0.0.0"],  # noqa: S104,
)
def test_private_addresses_are_refused(monkeypatch: Any, address: str) -> None:
    import socket

    def fake(host: str, port: int, type: int = 0) -> list[Any]:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(fetch.FetchError, match="not a public address"):
        fetch._addresses("sneaky.example", 443)


def test_loopback_allowed_only_with_the_setting(monkeypatch: Any, settings: Any) -> None:
    settings.KRING_FEDERATION_ALLOW_PRIVATE = True
    assert fetch.check_url("http://127.0.0.1:8181/x") == ("http", "127.0.0.1", 8181)
    assert fetch._addresses("127.0.0.1", 8181) == ["127.0.0.1"]
    settings.KRING_FEDERATION_ALLOW_PRIVATE = False
    with pytest.raises(fetch.FetchError):
        fetch.check_url("http://127.0.0.1:8181/x")


def test_size_limit(settings: Any, monkeypatch: Any) -> None:
    """A real server on 127.0.0.1 that answers more than the limit."""
    import http.server
    import threading

    monkeypatch.undo()  # the real HTTP layer, not the recorder
    settings.KRING_FEDERATION_ALLOW_PRIVATE = True

    class Big(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/activity+json")
            self.end_headers()
            self.wfile.write(b"[" + b"1," * (fetch.MAX_BYTES // 2 + 10) + b"1]")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Big)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(fetch.FetchError, match="too large"):
            fetch.get_json(f"http://127.0.0.1:{server.server_address[1]}/big")
    finally:
        server.shutdown()
        server.server_close()


def test_prune_forgets_old_ids_and_finished_deliveries(fed_network: Any, outgoing: Any) -> None:
    from kring.federation.models import ReceivedActivity
    from kring.federation.tasks import prune_tick

    done = queue(fed_network)
    ReceivedActivity.objects.create(ap_id="https://r.example/1", actor_id="a", kind="Like")
    outgoing.status = 500
    pending = queue(fed_network)
    assert prune_tick(timezone.now()) == 0
    later = timezone.now() + timedelta(days=31)
    assert prune_tick(later) == 2
    assert list(Delivery.objects.values_list("pk", flat=True)) == [pending.pk]
    assert done.pk != pending.pk
