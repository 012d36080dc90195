from __future__ import annotations

import ctypes
import http.client
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

PR_SET_PDEATHSIG = 1
BACKOFF_MAX = 60.0  # seconds between restarts of a child that keeps crashing
STABLE_AFTER = 60.0  # a child that ran this long starts its backoff afresh
# Once ready, the loop sleeps until a signal (a child stopped: SIGCHLD; Ctrl-C, SIGTERM) or a
# restart is due; this only bounds the sleep should a signal ever be missed.
IDLE_WAKE = 30.0


class Command(BaseCommand):
    help = (
        "Serve Kring in production style: migrate, then run gunicorn (static files through "
        "WhiteNoise) and the task worker (with the scheduler inside) as child processes, "
        "plus the inbound SMTP listener when KRING_INBOUND_SMTP_PORT is set. "
        "A child that crashes is restarted with backoff while the others keep running; "
        "the children die with this process. Ctrl-C or SIGTERM stops them all."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("KRING_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KRING_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("KRING_WEB_WORKERS", "2"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the task worker."
        )
        parser.add_argument(
            "--no-tick",
            "--no-scheduler",
            dest="no_tick",
            action="store_true",
            help="The worker never runs the scheduler (another server's worker does).",
        )
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        serve(self, **options)


def die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get SIGTERM when this process dies (even by
    SIGKILL), so no gunicorn or worker outlives ``kring serve`` and holds its port."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own argv
            self.argv, env=self.env, preexec_fn=die_with_parent(os.getpid())
        )
        self.started = time.monotonic()
        self.restart_at = None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def web_argv(options: dict[str, Any]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "kring.wsgi:application",
        "--bind",
        f"{options['host']}:{options['port']}",
        "--workers",
        str(options["workers"]),
        "--threads",
        "4",
        "--worker-class",
        "kring.core.gunicorn_worker.ThreadWorker",  # gthread, with a JSON 414
        # Load Django (and warm it: kring.wsgi) once in the master, before forking: the
        # first request is as fast as any other, and workers share the memory.
        "--preload",
        "--graceful-timeout",
        "10",
        "--timeout",
        "60",
        # Longer request lines are answered 414 by gunicorn itself, in the API's JSON shape.
        "--limit-request-line",
        "8190",
        "--no-control-socket",  # one per server would collide in ~/.gunicorn
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("KRING_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def _answers(host: str, port: int) -> bool:
    """A gunicorn worker answers HTTP (any status): only then is Kring ready. The master
    listens before its workers have booted, so an open port alone is not readiness."""
    conn = http.client.HTTPConnection(host, port, timeout=2)
    try:
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        conn.close()


def serve(cmd: BaseCommand, **options: Any) -> None:
    if options["workers"] < 1:
        cmd.stderr.write("--workers must be at least 1")
        sys.exit(2)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kring.settings", "KRING_WARM_START": "1"}
    children = [Child("web", web_argv(options), env)]
    if not options["no_worker"]:
        worker = [sys.executable, "-m", "kring", "worker"]
        if options["no_tick"]:
            worker.append("--no-scheduler")
        children.append(Child("worker", worker, env))
    if settings.KRING_INBOUND_SMTP_PORT:
        # Replies to conversation mails, received by our own SMTP listener (aiosmtpd).
        children.append(Child("smtp", [sys.executable, "-m", "kring", "smtp-in"], env))
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # Every signal also writes a byte to this pipe, which the loop sleeps on: a child that
    # stops wakes it at once (SIGCHLD), and an idle server does not wake twice a second.
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    old_wakeup_fd = signal.set_wakeup_fd(wake_w)
    old_sigchld = signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    for child in children:
        child.start()
    bind = f"{options['host']}:{options['port']}"
    cmd.stdout.write(f"Kring is starting on http://{bind}/ …")
    ready = False
    try:
        while not stopping:
            now = time.monotonic()
            for child in children:
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        cmd.stderr.write(f"Restarting the {child.name} process.")
                        child.start()
                    continue
                if child.running():
                    continue
                code = child.proc.returncode if child.proc else None
                if now - child.started >= STABLE_AFTER:
                    child.failures = 0
                delay = min(BACKOFF_MAX, 2.0**child.failures)
                child.failures += 1
                child.restart_at = now + delay
                cmd.stderr.write(
                    f"The {child.name} process stopped (exit {code}); restarting it in "
                    f"{delay:.0f} s while the rest keeps running."
                )
                if child.name == "web":
                    ready = False
            if not ready and children[0].running() and _answers(options["host"], options["port"]):
                ready = True
                cmd.stdout.write(f"Kring is ready on http://{bind}/ (Ctrl-C to stop)")
                cmd.stdout.flush()
            if stopping:
                break
            due = [c.restart_at - time.monotonic() for c in children if c.restart_at is not None]
            timeout = 0.05 if not ready else max(0.0, min([IDLE_WAKE, *due]))
            if select.select([wake_r], [], [], timeout)[0]:
                os.read(wake_r, 512)  # which signals does not matter: look at every child
    finally:
        signal.set_wakeup_fd(old_wakeup_fd)
        signal.signal(signal.SIGCHLD, old_sigchld)
        os.close(wake_r)
        os.close(wake_w)
        procs = [c.proc for c in children if c.running() and c.proc is not None]
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        cmd.stdout.write("Kring stopped.")
