"""Bounded load benchmark against ``kring serve`` on 127.0.0.1 (and nowhere else).

    python benchmarks/load.py                     # seeds ./var-bench once (100 × 200)
    python benchmarks/load.py --networks 10 --members 50 --seconds 5   # a quick run

For each scenario it runs ``--concurrency`` client threads with keep-alive connections for
``--seconds`` and prints requests/s and p50/p95/p99 latency, next to a bare Django page that
renders a 50-row template on the same server and settings (the ceiling of this machine).
Afterwards it checks that no gathering is overbooked and that every ledger sums to zero.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KRING = [sys.executable, "-m", "kring"]
HOST = "127.0.0.1"


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", default=str(ROOT / "var-bench"))
    p.add_argument("--port", type=int, default=8041)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--networks", type=int, default=100)
    p.add_argument("--members", type=int, default=200)
    return p.parse_args()


def env_for(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KRING_DATA_DIR=args.data_dir,
        KRING_BENCHMARK_PAGE="1",
        KRING_API_RATE="100000000/m",
        KRING_API_ANON_RATE="100000000/m",
        KRING_FORM_RATE="100000000/m",
        KRING_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="kring.settings",
    )
    return env


def prepare(args: argparse.Namespace) -> None:
    env = env_for(args)
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    subprocess.run([*KRING, "migrate", "-v0"], check=True, env=env)
    subprocess.run(
        [*KRING, "seed", "--networks", str(args.networks), "--members", str(args.members)],
        check=True,
        env=env,
    )


def django_setup(args: argparse.Namespace) -> None:
    os.environ.update(env_for(args))
    import django

    django.setup()


def fixtures(slug: str) -> dict:
    """Session cookies, bearer tokens and ids for the scenarios (in-process, then closed)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connections
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from kring.gatherings.models import Gathering
    from kring.networks.models import Membership
    from kring.people.services import create_api_token

    members = list(
        Membership.objects.filter(network__slug=slug).select_related("user").order_by("pk")[:40]
    )
    store_cls = import_string(settings.SESSION_ENGINE + ".SessionStore")
    user = members[5].user
    store = store_cls()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    tokens = [(m.user_id, create_api_token(user=m.user, name="bench")[1]) for m in members]
    future = list(
        Gathering.objects.filter(network__slug=slug, starts_at__gt=timezone.now()).values_list(
            "pk", flat=True
        )
    )
    # One small gathering everybody fights over: the overbooking check has teeth.
    if future:
        g = Gathering.objects.get(pk=future[0])
        Gathering.objects.filter(pk=g.pk).update(capacity=g.seats_taken + 5)
    out = {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        "tokens": tokens,
        "member_ids": [m.user_id for m in members],
        "gatherings": future,
    }
    connections.close_all()
    return out


class Result:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: dict[int, int] = {}
        self.lock = threading.Lock()


def run(name: str, make_request, args: argparse.Namespace) -> dict:  # type: ignore[no-untyped-def]
    result = Result()
    stop = time.monotonic() + args.seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        local: list[float] = []
        errors: dict[int, int] = {}
        while time.monotonic() < stop:
            method, path, body, headers = make_request(rng)
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
                status = 599
            local.append(time.perf_counter() - t0)
            if status >= 400 and status not in (409, 422):
                errors[status] = errors.get(status, 0) + 1
        conn.close()
        with result.lock:
            result.latencies.extend(local)
            for k, v in errors.items():
                result.errors[k] = result.errors.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat = sorted(result.latencies)
    if not lat:
        return {"name": name, "n": 0}
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {
        "name": name,
        "n": len(lat),
        "rps": len(lat) / args.seconds,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "errors": result.errors,
    }


def scenarios(fx: dict, slug: str):  # type: ignore[no-untyped-def]
    cookie = {"Cookie": fx["cookie"]}

    def get(path: str, headers: dict | None = None):  # type: ignore[no-untyped-def]
        return lambda rng: ("GET", path, None, headers or {})

    def rsvp(rng: random.Random):  # type: ignore[no-untyped-def]
        _uid, token = rng.choice(fx["tokens"])
        gid = fx["gatherings"][0] if rng.random() < 0.7 else rng.choice(fx["gatherings"])
        body = json.dumps({"answer": rng.choice(["going", "going", "not_going", "maybe"])})
        return (
            "PUT",
            f"/api/v1/gatherings/{gid}/rsvp",
            body,
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )

    def expense(rng: random.Random):  # type: ignore[no-untyped-def]
        uid, token = rng.choice(fx["tokens"])
        others = rng.sample(fx["member_ids"], 4)
        body = json.dumps(
            {
                "payer_id": uid,
                "amount_cents": rng.randint(100, 20000),
                "description": "Koffie en zaalhuur",
                "date": "2026-11-20",
                "category": "catering",
                "split": {"method": "equal", "member_ids": sorted({uid, *others})},
            }
        )
        return (
            "POST",
            f"/api/v1/networks/{slug}/expenses",
            body,
            {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )

    return [
        ("bare 50-row page (ceiling)", get("/benchmark/bare/")),
        ("public network page", get(f"/n/{slug}/")),
        ("member dashboard", get(f"/n/{slug}/home/", cookie)),
        ("member directory", get(f"/n/{slug}/people/", cookie)),
        ("RSVP (PUT, API)", rsvp),
        ("expense (POST, API)", expense),
    ]


def check_invariants() -> list[str]:
    from django.db.models import Count, Q

    from kring.gatherings.models import Gathering
    from kring.ledger.selectors import balances
    from kring.networks.models import Network

    problems = []
    overbooked = (
        Gathering.objects.annotate(going=Count("rsvps", filter=Q(rsvps__status="going")))
        .filter(capacity__isnull=False)
        .filter(going__gt=models_f("capacity"))
    )
    for g in overbooked:
        problems.append(f"gathering {g.pk} overbooked: {g.going} > {g.capacity}")
    for g in Gathering.objects.annotate(
        going=Count("rsvps", filter=Q(rsvps__status="going"))
    ).exclude(seats_taken=models_f("going")):
        problems.append(f"gathering {g.pk}: seats_taken {g.seats_taken} != going {g.going}")
    for network in Network.objects.all():
        total = sum(balances(network).values())
        if total != 0:
            problems.append(f"ledger of {network.slug} sums to {total}, not 0")
    return problems


def models_f(name: str):  # type: ignore[no-untyped-def]
    from django.db.models import F

    return F(name)


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("kring serve stopped; see its output above")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("kring serve did not come up")


def main() -> None:
    args = parse()
    marker = Path(args.data_dir) / f"seeded-{args.networks}x{args.members}"
    if not marker.exists():
        prepare(args)
        marker.write_text("ok")
    django_setup(args)
    slug = "load-000"
    fx = fixtures(slug)
    log = (Path(args.data_dir) / "serve.log").open("w")
    server = subprocess.Popen(
        [*KRING, "serve", "--host", HOST, "--port", str(args.port), "--workers",
         str(args.workers), "--no-tick", "--no-worker", "--no-migrate"],
        env=env_for(args), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_ready(args.port, server)
        rows = []
        for name, make in scenarios(fx, slug):
            rows.append(run(name, make, args))
    finally:
        server.terminate()
        server.wait(timeout=30)
    cores = os.cpu_count()
    print(
        f"\nKring load benchmark — {cores} cores, {args.workers} gunicorn workers, "
        f"{args.concurrency} client threads, {args.seconds:.0f}s per scenario, "
        f"{args.networks}×{args.members} seeded"
    )
    head = f"{'scenario':32} {'req':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(head + "  errors")
    for r in rows:
        if not r["n"]:
            print(f"{r['name']:32} no requests")
            continue
        print(
            f"{r['name']:32} {r['n']:7d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} "
            f"{r['p99']:8.1f}  {r['errors'] or '-'}"
        )
    problems = check_invariants()
    print("\nInvariants:", "OK (no seat overbooked, every ledger sums to zero)" if not problems
          else "\n  " + "\n  ".join(problems))  # fmt: skip
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
