"""Two ``kring serve`` processes on two ports, one PostgreSQL, one Redis (127.0.0.1 only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
    python benchmarks/two_servers.py --networks 5 --members 40 --seconds 8

Both servers run the web, a worker and a scheduler candidate (nothing turned off: the
workers elect the scheduler through the ``scheduler`` lease). The client threads alternate
between the two ports for RSVP storms on one small gathering and expense writes, then the
script checks: no gathering overbooked and seats_taken = going (load.check_invariants), every
ledger sums to zero, the API answers byte for byte the same through either port, exactly one
worker held the scheduler lease at every sample, and no digest was delivered twice (the
notification delivery log), and a member page stored by one server is not served after the
member answers through the other (kring.core.pagecache: versions in the shared Redis).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the shared seeding, fixtures, scenarios and checks

ROOT = Path(__file__).resolve().parent.parent


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", default=str(ROOT / "var-two"))
    p.add_argument("--ports", type=int, nargs=2, default=[8130, 8131])
    p.add_argument("--workers", type=int, default=1, help="gunicorn workers per server")
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--networks", type=int, default=5)
    p.add_argument("--members", type=int, default=40)
    p.add_argument("--scheduler-samples", type=int, default=12, help="every 5 s")
    args = p.parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: one of each, shared.")
    return args


def run_both(name: str, make, args: argparse.Namespace) -> dict:  # type: ignore[no-untyped-def]
    """load.run, with the client threads split over the two ports."""
    results = []

    def half(port: int) -> None:
        sub = argparse.Namespace(**{**vars(args), "port": port})
        sub.concurrency = max(1, args.concurrency // 2)
        results.append(load.run(name, make, sub))

    threads = [threading.Thread(target=half, args=(p,)) for p in args.ports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    n = sum(r.get("n", 0) for r in results)
    errors: dict[int, int] = {}
    for r in results:
        for k, v in (r.get("errors") or {}).items():
            errors[k] = errors.get(k, 0) + v
    return {"name": name, "n": n, "rps": n / args.seconds, "errors": errors}


def api_get(port: int, path: str, token: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(load.HOST, port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse()
    return r.status, r.read()


_VARIES = re.compile(rb'nonce="[^"]*"|value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[^"]*"')


def member_page_through_either(ports: list[int], fx: dict, slug: str) -> list[str]:
    """The member page cache across servers: a page stored by one server is not served
    after the member answers through the other, and both then show the same page."""
    a, b = ports
    cookie = fx["cookie"]
    _uid, token = fx["tokens"][5]  # the member the session cookie belongs to
    gid = fx["gatherings"][-1]
    path = f"/n/{slug}/gatherings/{gid}/"
    served = [load.fetch(b, path, cookie)[1].get("X-Kring-Cache", "") for _ in range(3)]
    if served[-1] != "hit":
        return [f"{path}: server {b} did not serve the page from its cache ({served})"]
    problems = []
    for answer in ("maybe", "not_going"):
        conn = http.client.HTTPConnection(load.HOST, a, timeout=30)
        conn.request(
            "PUT", f"/api/v1/gatherings/{gid}/rsvp", body=json.dumps({"answer": answer}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        status = conn.getresponse().status
        conn.close()
        _status, headers, body_b = load.fetch(b, path, cookie)
        if status != 200 or headers.get("X-Kring-Cache") == "hit":
            problems.append(f"after answering {answer!r} through {a} ({status}), {b} answered "
                            f"{path} from its cache")  # fmt: skip
        body_a = load.fetch(a, path, cookie)[2]
        if _VARIES.sub(b"", body_a) != _VARIES.sub(b"", body_b):
            problems.append(f"{path}: the two servers show the member different pages")
    print(f"  member page through either server: stored on {b}, answered twice through {a}: "
          f"{'ok' if not problems else 'NOT OK'}")  # fmt: skip
    return problems


def main() -> None:
    args = parse()
    args.port = args.ports[0]
    marker = Path(args.data_dir) / f"seeded-{args.networks}x{args.members}"
    if not marker.exists():
        load.prepare(args)
        marker.write_text("ok")
    load.django_setup(args)
    from kring.core.models import Lease
    from kring.notify.models import Delivery

    slug = "load-000"
    fx = load.fixtures(slug)
    env = load.env_for(args)
    env["KRING_TASK_LEASE_SECONDS"] = "15"
    servers = []
    for port in args.ports:
        log = (Path(args.data_dir) / f"serve-{port}.log").open("w")
        servers.append(
            subprocess.Popen(
                [
                    *load.KRING,
                    "serve",
                    "--host",
                    load.HOST,
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                    "--no-migrate",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    problems: list[str] = []
    try:
        for port, proc in zip(args.ports, servers, strict=True):
            load.wait_ready(port, proc, timeout=600)
        rows = [
            run_both(name, make, args) for name, make in load.scenarios(fx, slug) if "API" in name
        ]
        # The same answers through either server.
        _uid, token = fx["tokens"][0]
        for path in (
            f"/api/v1/networks/{slug}/expenses",
            f"/api/v1/networks/{slug}/balances",
            f"/api/v1/networks/{slug}/members",
            f"/api/v1/networks/{slug}/gatherings",
        ):
            a, b = (api_get(p, path, token) for p in args.ports)
            if a != b:
                problems.append(f"{path}: the two servers answer differently ({a[0]} / {b[0]})")
        problems += member_page_through_either(args.ports, fx, slug)
        # One scheduler among the two workers, at every sample.
        holders = []
        for _ in range(args.scheduler_samples):
            holders.append(
                list(Lease.objects.filter(name="scheduler").values_list("holder", flat=True))
            )
            time.sleep(5)
        if any(len(h) != 1 for h in holders):
            problems.append(f"scheduler lease not held by exactly one worker: {holders}")
        leaders = {h[0] for h in holders if h}
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            proc.wait(timeout=60)
    problems += load.check_invariants()
    digests = Delivery.objects.filter(kind="digest").count()
    keys = Delivery.objects.filter(kind="digest").values_list("key", "channel").distinct().count()
    if keys != digests:
        problems.append(f"a digest was delivered twice: {digests} rows, {keys} distinct")
    print(
        f"\nTwo servers ({args.ports[0]}, {args.ports[1]}) on one PostgreSQL and one Redis — "
        f"{os.cpu_count()} cores, {args.workers} gunicorn worker(s) each, "
        f"{args.concurrency} client threads over both, {args.seconds:.0f}s per scenario"
    )
    for r in rows:
        errors = r["errors"] or "-"
        print(f"  {r['name']:28} {r['n']:6d} requests {r['rps']:7.1f}/s  errors {errors}")
    print(f"  scheduler: {len(leaders)} leader(s) over {args.scheduler_samples} samples: {leaders}")
    print(f"  digests delivered: {digests} ({keys} distinct recipient keys)")
    print(json.dumps({"problems": problems}, indent=1))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
