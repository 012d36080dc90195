from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

TICK_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Serve Kring in production style: migrate, then run gunicorn (static files through "
        "WhiteNoise), the background task worker and the scheduler (kring tick every minute) "
        "as child processes. Ctrl-C or SIGTERM stops them all."
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
        parser.add_argument("--no-tick", action="store_true", help="Do not run the scheduler.")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        serve(self, **options)


def serve(cmd: BaseCommand, **options: Any) -> None:
    if options["workers"] < 1:
        cmd.stderr.write("--workers must be at least 1")
        sys.exit(2)
    python = sys.executable
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kring.settings"}
    bind = f"{options['host']}:{options['port']}"
    web = [
        python,
        "-m",
        "gunicorn",
        "kring.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(options["workers"]),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--graceful-timeout",
        "10",
        "--timeout",
        "60",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("KRING_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    children: dict[str, subprocess.Popen[bytes]] = {
        "web": subprocess.Popen(web, env=env)  # noqa: S603 - our own argv
    }
    if not options["no_worker"]:
        children["worker"] = subprocess.Popen(  # noqa: S603 - our own argv
            [python, "-m", "kring", "worker"], env=env
        )
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    cmd.stdout.write(f"Kring is serving on http://{bind}/ (Ctrl-C to stop)")
    next_tick = time.monotonic() + 5
    tick: subprocess.Popen[bytes] | None = None
    exit_code = 0
    try:
        while not stopping:
            for name, proc in children.items():
                code = proc.poll()
                if code is not None:
                    cmd.stderr.write(f"The {name} process stopped (exit {code}); stopping Kring.")
                    exit_code = code or 1
                    stopping = True
            if not options["no_tick"] and time.monotonic() >= next_tick:
                if tick is None or tick.poll() is not None:
                    tick = subprocess.Popen(  # noqa: S603 - our own argv
                        [python, "-m", "kring", "tick"], env=env, stdout=subprocess.DEVNULL
                    )
                next_tick = time.monotonic() + TICK_SECONDS
            time.sleep(0.3)
    finally:
        procs = [p for p in [*children.values(), tick] if p is not None and p.poll() is None]
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        cmd.stdout.write("Kring stopped.")
    if exit_code:
        sys.exit(exit_code)
