"""100 members RSVP at the same moment for 20 seats: exactly 20 go, 80 wait, in order.

Each thread has its own database connection. On PostgreSQL that is the test database itself.
On SQLite the suite's test database lives in memory (one connection per thread cannot share
it safely), so the test copies it, with its committed data, into a file with SQLite's backup
API and gives every thread its own connection to that file — the same set-up as production
(file, WAL, ``BEGIN IMMEDIATE``, busy timeout).
"""

from __future__ import annotations

import copy
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from kring.gatherings import services
from kring.gatherings.models import Gathering, Rsvp, RsvpStatus
from kring.networks.models import Membership, Network, Role
from kring.people.models import User

THREADS = 100
SEATS = 20


@pytest.fixture
def thread_db(transactional_db: Any) -> Iterator[Callable[[], None]]:
    """Returns ``attach()``: call it first thing in a worker thread."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield lambda: None
        return
    fd, path = tempfile.mkstemp(suffix=".sqlite3")
    os.close(fd)
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["NAME"] = path
    wrapper_class = type(connections["default"])

    def attach() -> None:
        wrapper = wrapper_class(copy.deepcopy(settings_dict), alias="default")
        connections["default"] = wrapper

    def snapshot() -> None:
        import sqlite3

        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

    attach.snapshot = snapshot  # type: ignore[attr-defined]
    yield attach
    os.unlink(path)  # each worker thread closed its own connection


def _connection_slots(n: int) -> int:
    """How many of the n threads may hold a database connection at once.

    PostgreSQL refuses connections beyond ``max_connections`` (100 by default, shared with
    the other test workers): leave a margin and let the rest of the threads queue for a slot.
    All n threads still start together and race; at most this many talk to the database.
    """
    if connection.vendor != "postgresql":
        return n
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - "
            "(SELECT count(*) FROM pg_stat_activity)"
        )
        free = cursor.fetchone()[0]
    return max(10, min(n, free - 15))


def _run_in_threads(attach: Callable[[], None], fn: Callable[[int], Any], n: int) -> list[Any]:
    results: list[Any] = [None] * n
    barrier = threading.Barrier(n)
    slots = threading.BoundedSemaphore(_connection_slots(n))

    def worker(i: int) -> None:
        attach()
        try:
            barrier.wait()
            with slots:
                try:
                    results[i] = fn(i)
                finally:
                    connections.close_all()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.slow
def test_hundred_rsvps_for_twenty_seats_never_overbook(thread_db: Any) -> None:
    network = Network.objects.create(slug="rush", name="Rush", purpose="p")
    host = User.objects.create_user(email="host@rush.example")
    Membership.objects.create(network=network, user=host, role=Role.HOST)
    users = [User(email=f"m{i}@rush.example") for i in range(THREADS)]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__startswith="m").order_by("pk"))
    Membership.objects.bulk_create([Membership(network=network, user=u) for u in users])
    start = timezone.now() + timedelta(days=7)
    gathering = services.create_gathering(
        actor=host,
        network=network,
        title="Popular",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=SEATS,
    )
    if hasattr(thread_db, "snapshot"):
        thread_db.snapshot()

    def rsvp(i: int) -> tuple[str, int | None]:
        g = Gathering.objects.select_related("network").get(pk=gathering.pk)
        result = services.answer_rsvp(actor=users[i], gathering=g, answer="going")
        return result.status, result.waitlist_position

    results = _run_in_threads(thread_db, rsvp, THREADS)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []

    def check(_i: int) -> dict[str, Any]:
        g = Gathering.objects.get(pk=gathering.pk)
        rows = list(Rsvp.objects.filter(gathering=g).order_by("answered_at", "pk"))
        return {
            "seats_taken": g.seats_taken,
            "going": sum(r.status == RsvpStatus.GOING for r in rows),
            "waiting": [r for r in rows if r.status == RsvpStatus.WAITLISTED],
        }

    state = _run_in_threads(thread_db, check, 1)[0]
    assert state["seats_taken"] == SEATS
    assert state["going"] == SEATS
    waiting = state["waiting"]
    assert len(waiting) == THREADS - SEATS
    # Waitlist numbers were handed out under the lock, in the order the answers came in.
    numbers = [r.waitlist_number for r in waiting]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert sorted(pos for status, pos in results if status == "waitlisted") == list(
        range(1, THREADS - SEATS + 1)
    )
    assert sum(status == "going" for status, _pos in results) == SEATS

    # Someone going cancels: the first on the waitlist gets the seat, still never overbooked.
    first_waiting = waiting[0].user_id
    going_user = next(users[i] for i, (status, _p) in enumerate(results) if status == "going")

    def cancel(_i: int) -> tuple[str, int, int]:
        g = Gathering.objects.select_related("network").get(pk=gathering.pk)
        services.answer_rsvp(actor=going_user, gathering=g, answer="not_going")
        promoted = Rsvp.objects.get(gathering=g, user_id=first_waiting)
        g.refresh_from_db()
        return (
            promoted.status,
            g.seats_taken,
            Rsvp.objects.filter(gathering=g, status=RsvpStatus.GOING).count(),
        )

    assert _run_in_threads(thread_db, cancel, 1)[0] == ("going", SEATS, SEATS)
