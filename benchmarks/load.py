"""Load benchmark of the member pages against ``kring serve`` on 127.0.0.1 (and nowhere else).

    python benchmarks/load.py                          # SQLite (demo), then PG + Redis if set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 python benchmarks/load.py --seconds 5
    python benchmarks/load.py --only sqlite --pages bare,home,people     # a quick look

Two set-ups, one table:

- **SQLite**: the demo (``kring demo --no-serve``, 40 members) in ``<data-dir>/sqlite``,
  signed in as the demo member (member@example.org);
- **PostgreSQL + Redis** (when ``DATABASE_URL`` and ``REDIS_URL`` are set, or ``--pg-url`` and
  ``--redis-url``): ``kring seed --networks 100 --members 200`` in that database, signed in as
  a member of ``load-000``.

Each set-up starts ``kring serve --workers 2`` with ``KRING_BENCHMARK_PAGE=1`` (a bare page that
renders a 50-row template through the same middleware: the ceiling of this machine), logs in
through the login form like a browser (CSRF token, session cookie), then loads every page for
``--seconds`` with ``wrk`` (2 threads, 8 connections, ``benchmarks/load.lua`` for the cookies)
or, without ``wrk``, with Python client threads. The bare page runs before every third page
and each page is compared with the mean of the bare runs on either side of it, so a neighbour
who takes the CPU for a while moves both numbers alike. Goals (issue 16): member pages ≥ 0.5 ×
the bare page's requests/s and p99 ≤ 3 × its p99; costs ≥ 0.4 ×; public page ≥ 0.8 × (measured
as an anonymous visitor, its audience; "public 304" sends the ETag back).

Each set-up runs twice (``--page-cache both``): with the member page cache on (what a member's
repeat visits cost: the same page again, within 30 s, nothing it shows changed) and off (every
request rendered: what a member's first visit of a page costs).

The write scenarios (RSVP storms and expenses through the API, then the invariants: nothing
overbooked, every ledger sums to zero) are the shared helpers below, run by
``benchmarks/two_servers.py``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KRING = [sys.executable, "-m", "kring"]
HOST = "127.0.0.1"
LUA = Path(__file__).resolve().parent / "load.lua"
PAGES = [
    "bare", "public", "public 304", "home", "gathering", "people", "profile", "results",
    "introductions", "knowledge", "conversations", "costs",
]  # fmt: skip
GOALS = {"public": 0.8, "public 304": 0.8, "costs": 0.4}  # every other member page: 0.5
P99_FACTOR = 3.0


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", default=str(ROOT / "var-bench"))
    p.add_argument("--port", type=int, default=8041)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (kring serve)")
    p.add_argument("--seconds", type=float, default=5.0, help="per page")
    p.add_argument("--concurrency", type=int, default=8, help="connections")
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--networks", type=int, default=100)
    p.add_argument("--members", type=int, default=200)
    p.add_argument("--only", choices=["sqlite", "pg"], help="one set-up only")
    p.add_argument("--pages", help="comma-separated subset of: " + ", ".join(PAGES))
    p.add_argument("--pg-url", default=os.environ.get("DATABASE_URL", ""))
    p.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    p.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--json", help="also write the rows to this file")
    p.add_argument(
        "--page-cache", choices=["on", "off", "both"], default="both",
        help="the member page cache (KRING_PAGE_CACHE): on measures a member's repeat visits, "
        "off every request rendered (a first visit); both runs each set-up twice",
    )  # fmt: skip
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


# --- The page benchmark -------------------------------------------------------------------


def setup_env(args: argparse.Namespace, kind: str) -> dict[str, str]:
    """The environment of one set-up: its own data folder, SQLite or PG + Redis."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL"))
    }
    base = env_for(argparse.Namespace(data_dir=str(Path(args.data_dir) / kind)))
    env.update({k: v for k, v in base.items() if k.startswith("KRING_")})
    env["DJANGO_SETTINGS_MODULE"] = "kring.settings"
    env["KRING_ENV"] = "development"
    env["KRING_SITE_URL"] = f"http://{HOST}:{args.port}"  # where visitors come (warm-up)
    if kind == "pg":
        env["DATABASE_URL"] = args.pg_url
        env["REDIS_URL"] = args.redis_url
    return env


FIND_PAGES = """
import json
from django.utils import timezone
from kring.gatherings.models import Gathering
from kring.networks.models import Membership, Network
from kring.people.models import User
net = Network.objects.get(slug=SLUG)
me = User.objects.get(email=EMAIL)
g = (Gathering.objects.filter(network=net, starts_at__gt=timezone.now()).order_by("starts_at")
     .first() or Gathering.objects.filter(network=net).order_by("-starts_at").first())
other = (Membership.objects.current().filter(network=net).exclude(user=me)
         .order_by("pk").values_list("user_id", flat=True)[3])
print("PAGES " + json.dumps({"gathering": g.pk, "profile": other}))
"""


def prepare_setup(args: argparse.Namespace, kind: str, env: dict[str, str]) -> dict[str, str]:
    """Seed once (a marker file remembers it); return the slug, e-mail and password to use."""
    folder = Path(env["KRING_DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        who = {"slug": "anno-nu", "email": "member@example.org", "password": "kring-demo"}
        marker = folder / "seeded-demo"
        if not marker.exists():
            print("  seeding the demo (SQLite) …", flush=True)
            subprocess.run([*KRING, "demo", "--no-serve"], check=True, env=env,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            marker.write_text("ok")
    else:
        who = {"slug": "load-000", "email": "load-000-0005@load.example",
               "password": "kring-load-test"}  # fmt: skip
        marker = folder / f"seeded-{args.networks}x{args.members}"
        if not marker.exists():
            print(f"  seeding {args.networks} × {args.members} (PostgreSQL) …", flush=True)
            subprocess.run([*KRING, "migrate", "-v0"], check=True, env=env)
            subprocess.run(
                [*KRING, "seed", "--networks", str(args.networks), "--members", str(args.members)],
                check=True, env=env,
            )  # fmt: skip
            marker.write_text("ok")
    script = f"SLUG = {who['slug']!r}\nEMAIL = {who['email']!r}\n" + FIND_PAGES
    out = subprocess.run([*KRING, "shell", "-c", script], check=True, env=env,
                         capture_output=True, text=True).stdout  # fmt: skip
    found = json.loads(next(ln for ln in out.splitlines() if ln.startswith("PAGES "))[6:])
    return {**who, **{k: str(v) for k, v in found.items()}}


def page_paths(who: dict[str, str]) -> dict[str, str]:
    n = f"/n/{who['slug']}"
    return {
        "bare": "/benchmark/bare/",
        "public": f"{n}/",
        "public 304": f"{n}/",
        "home": f"{n}/home/",
        "gathering": f"{n}/gatherings/{who['gathering']}/",
        "people": f"{n}/people/",
        "profile": f"{n}/people/{who['profile']}/",
        "results": f"{n}/results/",
        "introductions": f"{n}/introductions/",
        "knowledge": f"{n}/knowledge/",
        "conversations": f"{n}/conversations/",
        "costs": f"{n}/ledger/",
    }


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the login form, as a browser does; return the Cookie header."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    r = conn.getresponse()
    page = r.read().decode()
    _cookies(r, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in jar:
        raise SystemExit("the login page has no CSRF token")
    body = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST", "/accounts/login/", body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": f"csrftoken={jar['csrftoken']}"},
    )  # fmt: skip
    r = conn.getresponse()
    r.read()
    _cookies(r, jar)
    if r.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"logging in as {email} failed ({r.status})")
    # Follow the redirect as a browser does: the page shows the "signed in" message and its
    # answer clears the messages cookie (kept, every request would show the message again).
    for _hop in range(5):  # to the page that shows the message
        conn.request("GET", r.headers["Location"], headers={"Cookie": _header(jar)})
        r = conn.getresponse()
        r.read()
        _cookies(r, jar)
        if r.status not in (301, 302, 303, 307, 308):
            break
    conn.close()
    return _header(jar)


def _header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v and v != '""')


def fetch(port: int, path: str, cookie: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie, **(extra or {})})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, r.headers, body


def cookie_for(page: str, cookie: str) -> str:
    """The public page is measured as its audience sees it: an anonymous visitor."""
    return "" if page.startswith("public") else cookie


def bench_wrk(args: argparse.Namespace, path: str, cookie: str, extra: dict[str, str]) -> dict:
    wrk = shutil.which("wrk")
    assert wrk is not None
    argv = [wrk, f"-t{args.threads}", f"-c{args.concurrency}", f"-d{args.seconds:g}s",
            "--timeout", "30s", "-s", str(LUA), f"http://{HOST}:{args.port}{path}", "--",
            cookie, *(f"{k}: {v}" for k, v in extra.items())]  # fmt: skip
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("WRK_JSON "))
    raw = json.loads(line[len("WRK_JSON ") :])
    errors = {k: v for k, v in raw["errors"].items() if v}
    return {
        "n": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50_us"] / 1000,
        "p95": raw["p95_us"] / 1000,
        "p99": raw["p99_us"] / 1000,
        "errors": errors,
    }


def bench_python(args: argparse.Namespace, path: str, cookie: str, extra: dict[str, str]) -> dict:
    headers = {"Cookie": cookie, **extra}
    r = run(path, lambda rng: ("GET", path, None, headers), args)
    r.pop("name", None)
    return r


def bench_setup(
    args: argparse.Namespace, kind: str, pages: list[str], page_cache: bool
) -> list[dict]:
    env = setup_env(args, kind)
    env["KRING_PAGE_CACHE"] = "1" if page_cache else "0"
    who = prepare_setup(args, kind, env)
    paths = page_paths(who)
    log = (Path(env["KRING_DATA_DIR"]) / "serve.log").open("w")
    server = subprocess.Popen(
        [*KRING, "serve", "--host", HOST, "--port", str(args.port), "--workers",
         str(args.workers), "--no-worker", "--no-migrate"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    bench = bench_wrk if use_wrk else bench_python
    rows: list[dict] = []
    try:
        wait_ready(args.port, server, timeout=600)
        cookie = log_in(args.port, who["email"], who["password"])
        # Every page answers 200 first (and warms what a worker caches on first use).
        etag = ""
        for name in pages:
            for _ in range(3):
                status, headers, _body = fetch(args.port, paths[name], cookie_for(name, cookie))
            if status != 200:
                raise SystemExit(f"{kind}: {name} ({paths[name]}) answered {status}")
            served = headers.get("X-Kring-Cache", "")
            if page_cache and name not in ("bare", "public", "public 304") and served != "hit":
                print(f"  note: {name} is not served from the page cache ({served or 'no'})")
            if name == "public 304":
                etag = headers.get("ETag", "")
                if not etag or fetch(args.port, paths[name], "",
                                     {"If-None-Match": etag})[0] != 304:  # fmt: skip
                    raise SystemExit(f"{kind}: the public page does not answer 304 to its ETag")
        bare: list[tuple[int, dict]] = []
        measured: list[tuple[str, dict, int]] = []
        order = [p for p in pages if p != "bare"]
        for i, name in enumerate(order):
            if i % 3 == 0:
                bare.append((len(measured), bench(args, paths["bare"], cookie, {})))
            extra = {"If-None-Match": etag} if name == "public 304" else {}
            measured.append(
                (name, bench(args, paths[name], cookie_for(name, cookie), extra), len(bare) - 1)
            )
        bare.append((len(measured), bench(args, paths["bare"], cookie, {})))
    finally:
        server.terminate()
        server.wait(timeout=60)
    bare_rows = [r for _, r in bare]
    cache = "on" if page_cache else "off"
    rows.append({"setup": kind, "cache": cache, "page": "bare", **_mean(bare_rows),
                 "ratio": 1.0, "p99x": 1.0})  # fmt: skip
    for name, r, b in measured:
        ref = _mean([bare_rows[b], bare_rows[b + 1]])
        rows.append({"setup": kind, "cache": cache, "page": name, **r,
                     "ratio": r["rps"] / ref["rps"], "p99x": r["p99"] / ref["p99"],
                     "path": paths[name]})  # fmt: skip
    return rows


def _mean(rows: list[dict]) -> dict:
    out: dict = {k: statistics.fmean(r[k] for r in rows) for k in ("rps", "p50", "p95", "p99")}
    out["n"] = sum(r["n"] for r in rows)
    errors: dict = {}
    for r in rows:
        for k, v in (r.get("errors") or {}).items():
            errors[k] = errors.get(k, 0) + v
    out["errors"] = errors
    return out


def verdict(row: dict) -> str:
    if row["page"] == "bare":
        return ""
    goal = GOALS.get(row["page"], 0.5)
    ok = row["ratio"] >= goal and row["p99x"] <= P99_FACTOR
    return ("ok" if ok else "NOT MET") + f" (≥ {goal:g}×, p99 ≤ {P99_FACTOR:g}×)"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    args = parse()
    pages = args.pages.split(",") if args.pages else list(PAGES)
    unknown = set(pages) - set(PAGES)
    if unknown:
        raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")
    if "bare" not in pages:
        pages.insert(0, "bare")
    setups = ["sqlite", "pg"]
    if args.only:
        setups = [args.only]
    elif not (args.pg_url and args.redis_url):
        print("(no DATABASE_URL and REDIS_URL: SQLite only)")
        setups = ["sqlite"]
    client = "wrk" if args.client != "python" and shutil.which("wrk") else "python threads"
    load_before = load_average()
    rows: list[dict] = []
    modes = {"on": [True], "off": [False], "both": [True, False]}[args.page_cache]
    for kind in setups:
        for page_cache in modes:
            print(f"{kind}, page cache {'on' if page_cache else 'off'}: …", flush=True)
            rows += bench_setup(args, kind, pages, page_cache)
    load_after = load_average()
    print(
        f"\nKring pages under load — {os.cpu_count()} cores, load average {load_before} before "
        f"and {load_after} after; `kring serve --workers {args.workers}`; {client}, "
        f"{args.concurrency} connections, {args.seconds:g} s per page; signed in as a member"
    )
    head = (f"{'set-up':7} {'cache':5} {'page':14} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'ratio':>6} {'p99×':>5}  goal")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in rows:
        errs = f"  errors {r['errors']}" if r.get("errors") else ""
        label = {"sqlite": "SQLite", "pg": "PG+Redis"}[r["setup"]]
        print(
            f"{label:7} {r['cache']:5} {r['page']:14} {r['rps']:7.1f} {r['p50']:7.1f} "
            f"{r['p95']:7.1f} {r['p99']:7.1f} {r['ratio']:6.2f} {r['p99x']:5.2f}  "
            f"{verdict(r)}{errs}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"cores": os.cpu_count(), "load": [load_before, load_after], "rows": rows}, indent=1
        ))  # fmt: skip
    sys.exit(1 if any(r.get("errors") for r in rows) else 0)


if __name__ == "__main__":
    main()
