"""Profile the member pages in-process: queries, time per request and the share spent in templates.

    KRING_DATA_DIR=var-bench/sqlite python benchmarks/profile_pages.py            # the demo
    KRING_DATA_DIR=... DATABASE_URL=... REDIS_URL=... python benchmarks/profile_pages.py \\
        --slug load-000 --email load-000-0005@load.example
    python benchmarks/profile_pages.py --pages home,people --top 25   # cProfile's top functions

Each page is requested once to warm the caches, then ``--repeat`` times through Django's test
client, signed in as the member (``force_login``). Times are this process's CPU time
(``time.process_time``), so neighbours on a shared machine barely move them (on SQLite the
database works inside the process and counts; PostgreSQL's own work does not). For every page:
the number of SQL queries, the CPU time of one request, the time inside the outermost template
render (and how much of that was SQL run lazily from the template), and the share of the
request spent in templates (issue 16, goal 2: at most half). Nothing is written except the
session of the login.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--slug", default="anno-nu")
    p.add_argument("--email", default="member@example.org")
    p.add_argument("--pages", help="comma-separated subset")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--top", type=int, default=0, help="print cProfile's top N functions per page")
    p.add_argument("--lang", default="en")
    p.add_argument(
        "--queries", action="store_true", help="print each page's queries, slowest first"
    )
    p.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    p.add_argument("--filter", help="only functions whose path matches (e.g. kring)")
    return p.parse_args()


def mount_shell_page() -> None:
    """An otherwise empty member page (the base template, the network switcher, the account
    menu, the navigation and its badges): what every member page pays before its content.
    Mounted for this process only; its path starts like a network page's, so the middleware
    and the context processor treat it as one."""
    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import clear_url_caches, path

    from kring import urls
    from kring.networks.access import access_network

    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<h1>Shell</h1>{% endblock %}'
    )

    def shell(request: HttpRequest, slug: str) -> HttpResponse:
        acc = access_network(request.user, slug)
        request.network = acc.network  # type: ignore[attr-defined]
        return HttpResponse(template.render({"network": acc.network}, request))

    urls.urlpatterns.insert(0, path("benchmark-shell/n/<slug:slug>/", shell))
    clear_url_caches()


def main() -> None:
    args = parse()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    os.environ.setdefault("KRING_ENV", "development")
    os.environ.setdefault("KRING_LOG_LEVEL", "WARNING")
    os.environ.setdefault("KRING_BENCHMARK_PAGE", "1")  # the bare page, for comparison
    import django

    django.setup()
    from django.db import connection
    from django.template.backends import django as backend
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kring.gatherings.models import Gathering
    from kring.networks.models import Membership, Network
    from kring.people.models import User

    mount_shell_page()
    net = Network.objects.get(slug=args.slug)
    me = User.objects.get(email=args.email)
    g = (
        Gathering.objects.filter(network=net, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
        or Gathering.objects.filter(network=net).order_by("-starts_at").first()
    )
    other = (
        Membership.objects.current()
        .filter(network=net)
        .exclude(user=me)
        .order_by("pk")
        .values_list("user_id", flat=True)[3]
    )
    n = f"/n/{args.slug}"
    paths = {
        "bare": "/benchmark/bare/",
        "shell": f"/benchmark-shell/n/{args.slug}/",
        "public": f"{n}/",
        "home": f"{n}/home/",
        "gathering": f"{n}/gatherings/{g.pk if g else 0}/",
        "people": f"{n}/people/",
        "profile": f"{n}/people/{other}/",
        "results": f"{n}/results/",
        "introductions": f"{n}/introductions/",
        "knowledge": f"{n}/knowledge/",
        "conversations": f"{n}/conversations/",
        "costs": f"{n}/ledger/",
    }
    names = args.pages.split(",") if args.pages else list(paths)

    # Time in templates: the outermost render only (includes are inside it), and the SQL
    # that ran while a template was rendering (lazy querysets evaluated by the template).
    state = {"depth": 0, "template": 0.0, "sql_in_template": 0.0, "sql": 0.0}
    original = backend.Template.render

    def timed_render(self, context=None, request=None):  # type: ignore[no-untyped-def]
        state["depth"] += 1
        t0 = time.process_time()
        try:
            return original(self, context, request)
        finally:
            state["depth"] -= 1
            if state["depth"] == 0:
                state["template"] += time.process_time() - t0

    backend.Template.render = timed_render  # type: ignore[method-assign]

    def sql_timer(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        t0 = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            dt = time.process_time() - t0
            state["sql"] += dt
            if state["depth"]:
                state["sql_in_template"] += dt

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE=args.lang)
    client.force_login(me)
    print(
        f"{'page':14} {'status':>6} {'queries':>7} {'ms/req':>7} {'tmpl ms':>7} "
        f"{'sql ms':>7} {'sql in tmpl':>11} {'tmpl share':>10}"
    )
    for name in names:
        path = paths[name]
        client_for = Client(HTTP_HOST="127.0.0.1") if name == "public" else client
        client_for.get(path)  # warm
        with CaptureQueriesContext(connection) as ctx:
            r = client_for.get(path)
        queries = len(ctx.captured_queries)
        if args.queries:
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
                print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:400]}", file=sys.stderr)
        for k in ("template", "sql_in_template", "sql"):
            state[k] = 0.0
        profiler = cProfile.Profile() if args.top else None
        with connection.execute_wrapper(sql_timer):
            t0 = time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.repeat):
                client_for.get(path)
            if profiler:
                profiler.disable()
            total = time.process_time() - t0
        per = lambda v: v / args.repeat * 1000  # noqa: E731
        # Template time net of the SQL it triggered: the rendering itself.
        share = (state["template"] - state["sql_in_template"]) / total
        print(
            f"{name:14} {r.status_code:>6} {queries:>7} {per(total):7.1f} "
            f"{per(state['template']):7.1f} {per(state['sql']):7.1f} "
            f"{per(state['sql_in_template']):11.1f} {share:10.0%}"
        )
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats(args.sort).print_stats(
                *([args.filter] if args.filter else []), args.top
            )
            print("\n".join(out.getvalue().splitlines()[6:]), file=sys.stderr)


if __name__ == "__main__":
    main()
