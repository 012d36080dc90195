"""Warm start and idle cost of ``kring serve`` on 127.0.0.1 (and nowhere else).

    python benchmarks/warm_start.py                  # demo data in ./var-warm, port 8130
    python benchmarks/warm_start.py --idle 60 --rounds 5
    python benchmarks/warm_start.py --page-cache on  # member pages from the page cache

Each round starts ``kring serve --workers 2`` on the demo data, waits for its "ready" line,
then times the first request to each page (as the demo member, logged in; the public page
also as a visitor, without a cookie) against the median of 20 warm requests to the same
page. Afterwards the server sits idle for ``--idle`` seconds and the CPU time of its whole
process tree (``/proc``) over that span is reported as a share of one core. The summary
gives the median of the rounds for each figure. Goals (issue 16): first ≤ 2 × warm; idle
< 1 % of a core.

``--page-cache off`` (the default) runs the server with ``KRING_PAGE_CACHE=0``: every member
request is rendered, so first against warm compares a fresh process with a warm one (what
the goal is about). With ``on`` a member's repeat request is a hit in the per-viewer page
cache, and the warm figure is the cache's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KRING = [sys.executable, "-m", "kring"]
HOST = "127.0.0.1"
PAGES = [
    "/n/anno-nu/",
    "/n/anno-nu/home/",
    "/n/anno-nu/gatherings/",
    "/n/anno-nu/gatherings/{gathering}/",
    "/n/anno-nu/people/",
    "/n/anno-nu/people/{person}/",
    "/n/anno-nu/knowledge/",
    "/n/anno-nu/ledger/",
    "/healthz",
]
VISITOR = "visitor /n/anno-nu/"  # the public page as its audience sees it: no cookie


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", default=str(ROOT / "var-warm"))
    p.add_argument("--port", type=int, default=8130)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--idle", type=float, default=60.0, help="seconds of idle measurement")
    p.add_argument(
        "--page-cache",
        choices=["on", "off"],
        default="off",
        help="KRING_PAGE_CACHE for the server (off: every member request is rendered)",
    )
    return p.parse_args()


def env_for(args: argparse.Namespace) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL"))
        or k in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        KRING_DATA_DIR=args.data_dir,
        KRING_ENV="development",
        KRING_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="kring.settings",
        # Where visitors come: the warm-up renders the public pages for this address.
        KRING_SITE_URL=f"http://{HOST}:{args.port}",
        KRING_PAGE_CACHE="1" if args.page_cache == "on" else "0",
    )
    return env


def prepare(args: argparse.Namespace) -> tuple[str, list[str]]:
    """Seed the demo once; return a session cookie of the demo member and the pages."""
    env = env_for(args)
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    subprocess.run([*KRING, "demo", "--no-serve"], check=True, env=env, capture_output=True)
    script = (
        "from django.conf import settings\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.utils.module_loading import import_string\n"
        "from kring.people.models import User\n"
        "u = User.objects.get(email='member@example.org')\n"
        "s = import_string(settings.SESSION_ENGINE + '.SessionStore')()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.save()\n"
        "from kring.gatherings.models import Gathering\n"
        "from kring.networks.models import Membership\n"
        "g = Gathering.objects.filter(network__slug='anno-nu').order_by('-starts_at').first()\n"
        "p = Membership.objects.filter(network__slug='anno-nu').exclude(user=u).first()\n"
        "print(g.pk, p.user_id)\n"
        "print(settings.SESSION_COOKIE_NAME + '=' + s.session_key)\n"
    )
    out = subprocess.run(
        [*KRING, "shell", "-c", script], check=True, env=env, capture_output=True, text=True
    )
    lines = out.stdout.strip().splitlines()
    gathering, person = lines[-2].split()
    pages = [p.format(gathering=gathering, person=person) for p in PAGES]
    return lines[-1], pages


def get(port: int, path: str, cookie: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    return response.status, elapsed


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and every descendant (clock ticks from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        ppid = int(fields[1])
        children.setdefault(ppid, []).append(int(entry.name))
        # utime, stime, cutime, cstime: children that exited count too
        stats[int(entry.name)] = sum(int(x) for x in fields[11:15]) / ticks
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, 0.0)
        todo.extend(children.get(p, []))
    return total


def one_round(args: argparse.Namespace, cookie: str, pages: list[str]) -> dict[str, float]:
    proc = subprocess.Popen(
        [*KRING, "serve", "--port", str(args.port), "--workers", "2", "--no-migrate"],
        env=env_for(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        t_start = time.perf_counter()
        for line in proc.stdout:
            if "is ready" in line:
                break
        ready = time.perf_counter() - t_start
        out: dict[str, float] = {"ready_s": ready}
        for path in [VISITOR, *pages]:
            url, who = (path.split()[-1], "") if path == VISITOR else (path, cookie)
            status, first = get(args.port, url, who)
            assert status == 200, (path, status)
            warm = statistics.median(get(args.port, url, who)[1] for _ in range(20))
            out[path] = first / warm
            out[path + " first_ms"] = first * 1000
            out[path + " warm_ms"] = warm * 1000
        if args.idle:
            time.sleep(5)  # let the last requests' logging settle
            c0, t0 = tree_cpu_seconds(proc.pid), time.monotonic()
            time.sleep(args.idle)
            c1, t1 = tree_cpu_seconds(proc.pid), time.monotonic()
            out["idle_cpu_percent"] = 100 * (c1 - c0) / (t1 - t0)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def report(res: dict[str, float], paths: list[str], idle: float) -> None:
    print(f"  ready after {res['ready_s']:.1f} s")
    for path in paths:
        print(
            f"  {path:34} first {res[path + ' first_ms']:7.1f} ms  "
            f"warm {res[path + ' warm_ms']:6.1f} ms  ratio {res[path]:.2f}"
        )
    if "idle_cpu_percent" in res:
        print(f"  idle CPU over {idle:.0f} s: {res['idle_cpu_percent']:.2f} % of a core")


def main() -> None:
    args = parse()
    cookie, pages = prepare(args)
    print(
        f"cores: {os.cpu_count()}; data: {args.data_dir}; port {args.port}; "
        f"page cache {args.page_cache}; load average {os.getloadavg()[0]:.1f}"
    )
    rounds = []
    for r in range(args.rounds):
        rounds.append(one_round(args, cookie, pages))
        print(f"round {r + 1} (load average {os.getloadavg()[0]:.1f}):")
        report(rounds[-1], [VISITOR, *pages], args.idle)
    if len(rounds) > 1:
        # Each figure's median over the rounds (a first request is one sample per round).
        print(f"median of {len(rounds)} rounds:")
        report(
            {key: statistics.median(r[key] for r in rounds) for key in rounds[0]},
            [VISITOR, *pages],
            args.idle,
        )


if __name__ == "__main__":
    main()
