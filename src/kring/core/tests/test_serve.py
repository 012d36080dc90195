"""`kring serve` runs gunicorn, the worker and the scheduler, and stops them all on SIGTERM."""

from __future__ import annotations

import os
import signal
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
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env.update(KRING_DATA_DIR=str(tmp_path), KRING_ENV="development")
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
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
        assert len(kids) >= 2, "gunicorn and the task worker run as children"
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
