"""Fault test: SIGKILL the worker in the middle of a fan-out task; after a restart every
recipient has exactly one mail.

Real processes end to end: ``kring migrate`` and a seed script on a fresh data folder, a real
``kring worker`` (database queue; the Redis queue too when ``REDIS_URL`` is set), mail over
SMTP to a small server in this test. The server holds the 11th message open and the test
kills the worker with SIGKILL while that message is in flight (so it was never delivered).
A second worker must then take the task over once its lease lapses and send the 29 missing
mails — and not one of the first ten again.
"""

from __future__ import annotations

import collections
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
RECIPIENTS = 39
KILL_AT = 10  # messages delivered before the worker dies

SEED = f"""
from datetime import timedelta
from django.utils import timezone
from kring.gatherings.models import Rsvp, RsvpStatus
from kring.gatherings.services import create_gathering
from kring.gatherings.tasks import send_gathering_changed
from kring.networks.models import Role
from kring.networks.tests.factories import MembershipFactory, NetworkFactory
from kring.notify.models import Preference
from kring.people.tests.factories import UserFactory

network = NetworkFactory(slug="fault", name="Fault")
host = UserFactory(email="host@fault.example")
MembershipFactory(network=network, user=host, role=Role.HOST)
start = timezone.now() + timedelta(days=10)
g = create_gathering(
    actor=host, network=network, title="Changed", starts_at=start,
    ends_at=start + timedelta(hours=2),
)
for i in range({RECIPIENTS}):
    u = UserFactory(email=f"r{{i:02d}}@fault.example")
    MembershipFactory(network=network, user=u)
    # only the fan-out under test: these people turned new-gathering announcements off
    Preference.objects.create(user=u, kind="gathering_announced", channel="email", mode="off")
    Rsvp.objects.create(gathering=g, user=u, status=RsvpStatus.GOING)
send_gathering_changed.enqueue(g.pk)
print("enqueued")
"""


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.lock = threading.Lock()
        self.delivered: collections.Counter[str] = collections.Counter()
        self.count = 0
        self.holding = threading.Event()
        self.hold_at: int | None = KILL_AT

    def take(self, recipients: list[str]) -> bool:
        """True: deliver now. False: hold this message open (the worker gets killed)."""
        with self.lock:
            if self.hold_at is not None and self.count == self.hold_at:
                self.hold_at = None
                self.holding.set()
                return False
            self.count += 1
            self.delivered.update(r.lower() for r in recipients)
            return True


class SMTPHandler(socketserver.StreamRequestHandler):
    server: SMTPServer

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 fault.test ESMTP")
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-fault.test")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                if not self.server.take(recipients):
                    self.request.recv(1)  # never answer: wait until the worker is gone
                    return
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, RSET, NOOP
                self.reply("250 OK")


def _kring(env: dict[str, str], *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kring", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        **kw,  # type: ignore[arg-type]
    )


def _tree(pid: int) -> list[int]:
    """pid and its descendants (RQ runs each job in a forked work horse)."""
    parents: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(stat[stat.rindex(")") + 2 :].split()[1])].append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


BACKENDS = ["database"] + (["redis"] if os.environ.get("REDIS_URL") else [])


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_mid_fan_out_then_every_recipient_has_exactly_one_mail(
    tmp_path: Path, backend: str
) -> None:
    server = SMTPServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update(
        KRING_DATA_DIR=str(tmp_path),
        KRING_ENV="development",
        KRING_TASK_LEASE_SECONDS="3",
        KRING_EMAIL_HOST="127.0.0.1",
        KRING_EMAIL_PORT=str(server.server_address[1]),
        KRING_EMAIL_USE_TLS="false",
        KRING_LOG_LEVEL="WARNING",
    )
    if backend == "redis":
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        from redis import Redis

        Redis.from_url(env["REDIS_URL"]).delete("rq:queue:kring-default")
    worker_cmd = [sys.executable, "-m", "kring", "worker", "--no-scheduler"]
    try:
        _kring(env, "migrate", "--no-input", "-v0")
        assert "enqueued" in _kring(env, "shell", "-c", SEED).stdout

        first = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)
        assert server.holding.wait(timeout=300), "the worker never started sending"
        for pid in reversed(_tree(first.pid)):  # the work horse (RQ) and the worker
            os.kill(pid, signal.SIGKILL)
        first.wait()
        assert server.count == KILL_AT  # ten delivered, the 11th died in flight

        second = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and len(server.delivered) < RECIPIENTS:
                time.sleep(0.5)
            time.sleep(5)  # room for any duplicate to arrive
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    expected = {f"r{i:02d}@fault.example": 1 for i in range(RECIPIENTS)}
    assert dict(server.delivered) == expected
