"""`kring serve` runs gunicorn, the worker and the scheduler, and stops them all on SIGTERM."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(x) for x in out.split()]


@pytest.mark.slow
def test_serve_starts_web_and_worker_and_stops_cleanly(tmp_path: Path) -> None:
    port, smtp_port = _free_port(), _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update(
        KRING_DATA_DIR=str(tmp_path),
        KRING_ENV="development",
        KRING_INBOUND_SMTP_PORT=str(smtp_port),
        KRING_INBOUND_DOMAIN="reply.example.org",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kring",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-tick",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # never a pipe nobody reads (it would fill up and block)
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600  # a loaded CI machine: migrate, preload
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.5)
        assert body == b'{"status": "ok"}'
        kids = _children(proc.pid)
        assert len(kids) >= 3, "gunicorn, the task worker and the SMTP listener run as children"
        smtp_deadline = time.monotonic() + 60
        while True:  # the listener answers SMTP (replies to conversation mails)
            try:
                with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as smtp:
                    assert smtp.ehlo()[0] == 250
                break
            except OSError:
                if time.monotonic() > smtp_deadline:
                    raise
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/kring/kring.css") as r:
            assert r.status == 200  # static files through WhiteNoise
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        time.sleep(0.5)
        alive = [
            k
            for k in kids
            if Path(f"/proc/{k}").exists()
            and "zombie" not in Path(f"/proc/{k}/status").read_text().lower()
        ]
        assert not alive, f"children still running: {alive}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text().lower()
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _healthz(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.slow
def test_serve_restarts_a_killed_worker_and_its_children_die_with_it(tmp_path: Path) -> None:
    """SIGKILL on the worker: restarted while the web keeps answering. SIGKILL on `kring
    serve` itself: its children follow it (parent-death signal), and the port is free."""
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update(KRING_DATA_DIR=str(tmp_path), KRING_ENV="development")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kring", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600  # a loaded CI machine: migrate, preload
        while time.monotonic() < deadline and not _healthz(port):
            time.sleep(0.5)
        assert _healthz(port)
        kids = _children(proc.pid)
        workers = [k for k in kids if "kring worker" in _cmdline(k)]
        web = [k for k in kids if "gunicorn" in _cmdline(k)]
        assert len(workers) == 1 and len(web) == 1
        os.kill(workers[0], signal.SIGKILL)
        # The web keeps serving while the worker is down and restarted.
        restarted: list[int] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not restarted:
            assert _healthz(port), "the web went down with the worker"
            assert proc.poll() is None, "kring serve stopped with the worker"
            restarted = [
                k for k in _children(proc.pid) if "kring worker" in _cmdline(k) and k != workers[0]
            ]
            time.sleep(0.3)
        assert restarted, "the worker was not restarted"
        assert web[0] in _children(proc.pid)  # the same gunicorn, never restarted

        everyone = [*web, *_children(web[0]), *restarted]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and any(_alive(p) for p in everyone):
            time.sleep(0.3)
        assert not [p for p in everyone if _alive(p)], "children outlived kring serve"
        with socket.socket() as s:
            # Nothing listens any more: a restart can bind it (as gunicorn does, ignoring
            # the closed connections' TIME_WAIT).
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            s.listen()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
