"""Warm Django up once in gunicorn's master (``--preload``), before it forks its workers.

Django loads lazily: the first request imports every view and the API (through the URLconf),
reads the translation catalogues and compiles the templates it renders — seconds of work that
every freshly forked worker would otherwise repeat on its first request. Doing it in the
master makes the first request as quick as any other and lets the workers share the memory.

Besides anonymous pages, the warm-up renders the pages a member opens, signed in as some
member (``register_warm_visits``), in every language — what only a signed-in page runs
(navigation, badges, the directory's cards, Markdown's extensions) is then loaded too. Those
visits write nothing: their database connections are read-only (SQLite ``query_only``,
PostgreSQL ``default_transaction_read_only``), their session lives in a signed cookie that is
stored nowhere, and the shared cache is a throwaway one while they run (with the member page
cache off), so no real viewer is ever served anything a warm-up visit produced — except what
the per-process caches keep under a digest of their content (Markdown, directory cards).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import signed_cookies
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host
from django.template import engines
from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.timezone import localtime

from kring.core.markdown import render_markdown

logger = logging.getLogger("kring.warm")
# Anonymous pages that render the base template, forms and the error page; none writes.
WARM_PATHS = ["/healthz", "/accounts/login/", "/kring-warm-up-not-found/"]
#: Set in the WSGI environ of the warm-up's own requests (a client cannot set it: its headers
#: arrive as ``HTTP_*``). Middleware that would store something about a visit skips it.
WARM_UP_KEY = "kring.warm_up"


@dataclass(frozen=True)
class WarmVisit:
    """Pages to render once signed in as ``user``, in every language, writing nothing."""

    user: Any
    paths: list[str]


_PATH_SOURCES: list[Callable[[], list[str]]] = []
_VISIT_SOURCES: list[Callable[[], list[WarmVisit]]] = []


def is_warm_up(request: HttpRequest) -> bool:
    """This request is the warm-up's own, not a person's."""
    return bool(request.META.get(WARM_UP_KEY))


def register_warm_paths(fn: Callable[[], list[str]]) -> None:
    """An app names more anonymous pages to request once, in every language, while warming
    up — pages whose first visit would otherwise fill a shared cache (the public network
    pages). ``fn()`` returns paths; keep them few (they delay "ready")."""
    if fn not in _PATH_SOURCES:
        _PATH_SOURCES.append(fn)


def register_warm_visits(fn: Callable[[], list[WarmVisit]]) -> None:
    """An app names signed-in pages to render once, in every language, while warming up:
    ``fn()`` returns ``WarmVisit(user, paths)`` — a member of a recently active network and
    the pages members open. They run read-only; keep them few (they delay "ready")."""
    if fn not in _VISIT_SOURCES:
        _VISIT_SOURCES.append(fn)


def _walk(patterns: list) -> int:  # type: ignore[type-arg]
    n = 0
    for p in patterns:
        p.pattern.regex  # noqa: B018 - compiles and caches the route's regular expression
        sub = getattr(p, "url_patterns", None)  # an include(): imports its module
        n += _walk(sub) if sub is not None else 1
    return n


def _populate(resolver: Any, path: str = "") -> None:
    """Build the reverse tables of the resolver and of every namespace under it (``reverse``
    builds a resolver per namespace prefix, populated on first use: a failed lookup does it)."""
    resolver.reverse_dict  # noqa: B018
    for ns, (_prefix, sub) in resolver.namespace_dict.items():
        full = f"{path}:{ns}" if path else ns
        with contextlib.suppress(NoReverseMatch):
            reverse(f"{full}:kring-warm-up")
        _populate(sub, full)


def _models() -> int:
    """Model metadata Django computes lazily (relations, columns, joins) and one compiled
    query per model — what the first queries of a request would otherwise pay for."""
    models = apps.get_models()
    for model in models:
        for f in model._meta.get_fields():
            if getattr(f, "concrete", False):
                f.cached_col  # type: ignore[union-attr]  # noqa: B018
            if f.is_relation and hasattr(f, "path_infos"):
                f.path_infos  # noqa: B018
        str(model._default_manager.all().query)
    return len(models)


def _request(
    application: Callable[..., Any],
    path: str,
    language: str = "",
    *,
    as_site: bool = False,
    cookie: str = "",
) -> int:
    """One GET through the whole stack (middleware, context processors, formats); anonymous
    unless ``cookie`` carries a session.

    ``as_site``: addressed as visitors address it (``KRING_SITE_URL``: its host, and https
    as the proxy reports it), so what the page caches is what they will ask for."""
    host = next(
        (h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")),
        "localhost",
    )
    environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_HOST": host}
    site = urlsplit(settings.SITE_URL)
    domain = split_domain_port(site.netloc)[0]
    if as_site and domain and validate_host(domain, settings.ALLOWED_HOSTS):
        environ["HTTP_HOST"] = site.netloc
        if site.scheme == "https":
            environ["wsgi.url_scheme"] = "https"
            proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
            if proxy:
                environ[proxy[0]] = proxy[1]
    if language:
        environ["HTTP_ACCEPT_LANGUAGE"] = language
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    environ["REMOTE_ADDR"] = "127.0.0.1"
    environ[WARM_UP_KEY] = True
    status: list[str] = []
    body = application(environ, lambda s, h, exc_info=None: status.append(s))
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0]) if status else 0


def _template_names() -> list[str]:
    names: list[str] = []
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory)
            if not root.is_dir():
                continue
            names.extend(
                str(p.relative_to(root))
                for p in root.rglob("*")
                if p.suffix in {".html", ".txt", ".xml", ".ics"} and p.is_file()
            )
    return sorted(set(names))


@contextlib.contextmanager
def _overridden(**values: Any) -> Iterator[None]:
    old = {name: getattr(settings, name) for name in values}
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(settings, name, value)


def _set_read_only(conn: BaseDatabaseWrapper, on: bool) -> None:
    if conn.vendor == "sqlite":
        sql = f"PRAGMA query_only = {int(on)}"
    elif conn.vendor == "postgresql":
        sql = f"SET default_transaction_read_only = {'on' if on else 'off'}"
    else:  # pragma: no cover - Kring runs on SQLite or PostgreSQL
        return
    with conn.cursor() as cursor:
        cursor.execute(sql)


@contextlib.contextmanager
def _read_only_database() -> Iterator[None]:
    """Every database connection refuses writes while this runs: open ones now, new ones as
    they connect (each request may open its own)."""

    def on_connect(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
        _set_read_only(connection, True)

    connection_created.connect(on_connect)
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _set_read_only(conn, True)
    try:
        yield
    finally:
        connection_created.disconnect(on_connect)
        for conn in connections.all(initialized_only=True):
            if conn.connection is not None:
                _set_read_only(conn, False)


@contextlib.contextmanager
def _throwaway_cache() -> Iterator[None]:
    """The shared cache (Redis or the database) swapped for a private one: pages read and
    fill it as always, and nothing of a warm-up visit reaches a real viewer."""
    shared = caches["default"]
    caches["default"] = LocMemCache("kring-warm-up", {})
    try:
        yield
    finally:
        caches["default"].clear()
        caches["default"] = shared


def _session_cookie(user: Any) -> str:
    """A signed-in session kept in the cookie itself (``signed_cookies``): stored nowhere."""
    store = signed_cookies.SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = (
        backend
        if backend in settings.AUTHENTICATION_BACKENDS
        else settings.AUTHENTICATION_BACKENDS[0]
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _visits() -> list[int]:
    """Render every registered signed-in page in every language, read-only."""
    visits = [visit for source in _VISIT_SOURCES for visit in source()]
    if not visits:
        return []
    statuses: list[int] = []
    engine = "django.contrib.sessions.backends.signed_cookies"
    with _overridden(SESSION_ENGINE=engine, KRING_PAGE_CACHE=False):
        handler = WSGIHandler()  # its session middleware reads the signed cookie
        with _throwaway_cache(), _read_only_database():
            for visit in visits:
                cookie = _session_cookie(visit.user)
                for path in visit.paths:
                    statuses += [
                        _request(handler, path, code, cookie=cookie)
                        for code, _name in settings.LANGUAGES
                    ]
    return statuses


def warm_up(application: Callable[..., Any]) -> None:
    started = time.perf_counter()
    resolver = get_resolver()
    routes = _walk(resolver.url_patterns)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.pgettext("navigation", "Home")
            _populate(resolver)  # built once per language
    n_models = _models()
    localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE)).strftime("%Z")
    compiled = 0
    for name in _template_names():
        for engine in engines.all():
            try:
                engine.get_template(name)  # the cached loader keeps it
                compiled += 1
                break
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
    statuses = [_request(application, path) for path in WARM_PATHS]
    for source in _PATH_SOURCES:
        for path in source():
            statuses += [
                _request(application, path, code, as_site=True) for code, _ in settings.LANGUAGES
            ]
    render_markdown("*Kring*")  # imports Markdown's extensions (and Pygments): ~0.3 s
    signed_in = _visits()
    Session.objects.filter(pk="").exists()  # the SQL compiler, on the way to the database
    cache.get("kring:warm-up")
    connections.close_all()  # never share a database connection across fork
    logger.info(
        "warmed up in %.1f s: %d routes, %d models, %d templates, requests %s, "
        "signed-in requests by status %s",
        time.perf_counter() - started,
        routes,
        n_models,
        compiled,
        statuses,
        dict(Counter(signed_in)),
    )


def warm_worker(application: Callable[..., Any]) -> None:
    """In each gunicorn worker after the fork: the health check and the public pages (served
    from the cache the master filled), in every language, as visitors address them. Reads
    only; the connections it opened are closed (the request threads open their own)."""
    started = time.perf_counter()
    statuses = [_request(application, path) for path in WARM_PATHS]
    for source in _PATH_SOURCES:
        for path in source():
            statuses += [
                _request(application, path, code, as_site=True) for code, _ in settings.LANGUAGES
            ]
    connections.close_all()
    logger.info("worker warmed up in %.2f s, requests %s", time.perf_counter() - started, statuses)
