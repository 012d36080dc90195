"""Member pages cached per viewer, invalidated by the tables they read.

A member page is a function of the rows it reads, the viewer (and their session), the
address, the language, the colour theme and the time. ``@cached_page`` keeps a rendered page
for one viewer and serves it again while none of the tables the page read has been written
to, for at most ``KRING_PAGE_CACHE_SECONDS`` (time passing: a gathering that started, "in 2
days"). Nothing has to announce a change: every INSERT, UPDATE and DELETE that goes through
Django's database connection, in any process (web workers, the task worker, ``kring shell``),
gives its table a new *version*, a random token in the shared cache (``default``: the
database cache on SQLite, Redis when configured), after its transaction commits (and once
right away). A stored page carries the versions of the tables it read, taken *before* it was
rendered; a page is served only while all of them are unchanged, so a write that lands while
a page renders only costs a miss. A page whose rendering wrote anything (a view that marks
something read), set a cookie, changed the session or answered other than 200 is not kept.

Which tables a page reads is learnt from the SQL it runs (``FROM``/``JOIN``), per view and
per process: the first rendering of a view only learns them; later ones take their versions
before rendering and are kept when the page read nothing else. The network, the viewer and
the memberships are always among them (the request reads them before the view runs).

The page bodies live per process (the ``pages`` cache, compressed), the versions are shared,
so a write in one process is seen by every other. The CSP nonce and the CSRF token differ per
request: they are stored as placeholders and filled in per answer. ``KRING_PAGE_CACHE=0``
turns it off (the render-path profiles do).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from kring.core.theme import theme_for

NONCE = "kring-page-nonce-placeholder-5c1e"
#: Tables that are not content: the session (its key is part of the page's key), the
#: database cache itself (its writes would bump versions forever), login throttling, tasks.
IGNORED_PREFIXES = ("django_session", "axes_", "django_tasks")
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?',
    re.IGNORECASE,
)
#: A version every stored page carries: ``paused()`` replaces it after bulk writes.
ALL = "*"
_local = threading.local()
_migrating = False
#: Per view (and process): the tables its pages read, learnt from its renderings.
_hints: dict[str, frozenset[str]] = {}


def _cache_table() -> str:
    default = settings.CACHES["default"]
    return str(default.get("LOCATION", "")) if "db." in default["BACKEND"] else ""


def _content_table(table: str) -> bool:
    return bool(table) and table != _cache_table() and not table.startswith(IGNORED_PREFIXES)


# --- Versions ------------------------------------------------------------------------------


def _version_key(table: str) -> str:
    return f"page:v:{table}"


def _bump(tables: frozenset[str]) -> None:
    cache.set_many({_version_key(t): secrets.token_hex(8) for t in tables}, None)


def versions(tables: frozenset[str]) -> dict[str, str]:
    """The current version of each table (a missing one is created: a version evicted from the
    cache comes back as a new token, never as one an old page was stored under)."""
    flush()
    keys = {_version_key(t): t for t in tables}
    found = cache.get_many(list(keys))
    missing = {k: secrets.token_hex(8) for k in keys if k not in found}
    if missing:
        for key, token in missing.items():
            cache.add(key, token, None)
        found.update(cache.get_many(list(missing)))
    return {keys[k]: str(v) for k, v in found.items()}


class _Bump:
    """The after-commit bump of one transaction's tables (one per table and transaction)."""

    def __init__(self, table: str) -> None:
        self.table = table

    def __call__(self) -> None:
        _bump(frozenset([self.table]))


def flush() -> None:
    """Give the tables this thread wrote to new versions (see ``_note_writes``)."""
    pending = getattr(_local, "pending", None)
    if pending and not getattr(_local, "flushing", False):
        _local.flushing = True
        try:
            tables, _local.pending = frozenset(pending), set()
            _bump(tables)
        finally:
            _local.flushing = False


def _note_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper on every database connection. A write gives its table a new version
    after its transaction commits, and also before the next statement of this thread (a reader
    inside the same transaction), at the end of the request or task, or when versions are
    read: never while the statement runs (SQLite's INSERT … RETURNING is not finished until
    its rows are read, and the database cache writes through the same connection)."""
    if not settings.KRING_PAGE_CACHE:  # nothing is stored, nothing needs a version
        return execute(sql, params, many, context)
    if getattr(_local, "pending", None) and not getattr(_local, "paused", False):
        flush()
    result = execute(sql, params, many, context)
    if _migrating or getattr(_local, "paused", False) or getattr(_local, "flushing", False):
        return result
    if (match := _WRITE.match(sql)) and _content_table(table := match.group(1)):
        _local.__dict__.setdefault("pending", set()).add(table)
        conn = context["connection"]
        if conn.in_atomic_block and not any(
            isinstance(f, _Bump) and f.table == table for _, f, _ in conn.run_on_commit
        ):
            transaction.on_commit(_Bump(table), using=conn.alias)
        for reader in getattr(_local, "readers", ()):
            reader.wrote = True
    return result


def watch_writes(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """``connection_created`` receiver (kring.core.apps): watch this connection's writes."""
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


def migrating(sender: object, **kwargs: object) -> None:
    """``pre_migrate`` receiver: the schema (and the cache table) may not be there yet."""
    global _migrating
    _migrating = True


def migrated(sender: object, **kwargs: object) -> None:
    """``post_migrate`` receiver: whatever the migrations wrote voids every stored page."""
    global _migrating
    if _migrating:
        _migrating = False
        _bump(frozenset([ALL]))


def finished(sender: object, **kwargs: object) -> None:
    """``request_finished`` and ``task_finished`` receiver: the last writes get their versions."""
    flush()


@contextmanager
def paused() -> Iterator[None]:
    """Bulk writing (``kring seed``, ``kring demo``, a restore): no version per statement, no
    cache writes between the statements; at the end every stored page is void at once (the
    ``*`` version every page carries)."""
    _local.paused = True
    _local.pending = set()  # covered by the version change at the end
    try:
        yield
    finally:
        _local.paused = False
        _bump(frozenset([ALL]))
        transaction.on_commit(functools.partial(_bump, frozenset([ALL])))


# --- Reading a page ------------------------------------------------------------------------


class _Reader:
    """Collects the tables a rendering reads, and whether it wrote."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.wrote = False

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        if sql.lstrip()[:6].upper() == "SELECT":
            self.tables.update(t for t in _READ.findall(sql) if _content_table(t))
        return execute(sql, params, many, context)


@contextmanager
def _reading() -> Iterator[_Reader]:
    reader = _Reader()
    readers = _local.__dict__.setdefault("readers", [])
    readers.append(reader)
    try:
        with connection.execute_wrapper(reader):
            yield reader
    finally:
        readers.remove(reader)


@functools.cache
def _always() -> frozenset[str]:
    models = (
        get_user_model(),
        apps.get_model("networks", "Network"),
        apps.get_model("networks", "Membership"),
    )
    tables = (m._meta.db_table for m in models)
    return frozenset([ALL, *tables])


@dataclass(frozen=True)
class Stored:
    body: bytes  # zlib-compressed UTF-8 with the placeholders
    headers: tuple[tuple[str, str], ...]
    tables: tuple[tuple[str, str], ...]  # (table, version) taken before the rendering


def _key(request: HttpRequest, view: str) -> str:
    seconds = max(1, settings.KRING_PAGE_CACHE_SECONDS)
    parts = [
        view,
        str(request.user.pk),
        request.session.session_key or "",
        # What the session holds (a page may show something a session flag decides).
        repr(sorted((k, repr(v)) for k, v in request.session.items())),
        # The CSRF tokens in a stored page belong to this cookie's secret.
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_full_path(),
        get_language() or settings.LANGUAGE_CODE,
        theme_for(request) or "-",
        f"{request.scheme}://{request.get_host()}",
        str(int(timezone.now().timestamp()) // seconds),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _cacheable(request: HttpRequest) -> bool:
    if not settings.KRING_PAGE_CACHE or request.method != "GET":
        return False
    if not request.user.is_authenticated or getattr(request, "htmx", False):
        return False
    if not request.session.session_key:
        return False
    return len(get_messages(request)) == 0  # len() reads without marking them shown


def placeholders(request: HttpRequest) -> dict[str, str]:
    """Context processor: a page rendered for this cache gets a placeholder for the CSP nonce
    (each answer gets its own nonce; a stored page must not fix one)."""
    return {"csp_nonce": NONCE} if getattr(request, "_kring_page_render", False) else {}


def _nonce(request: HttpRequest) -> str:
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def _answer(stored: Stored, request: HttpRequest) -> HttpResponse:
    html = zlib.decompress(stored.body).decode().replace(NONCE, _nonce(request))
    response = HttpResponse(html)
    for name, value in stored.headers:
        response[name] = value
    response["X-Kring-Cache"] = "hit"
    return response


def _keep(response: HttpResponse, request: HttpRequest, reader: _Reader) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not reader.wrote
        and not request.session.modified
    )


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep this view's pages per viewer until a table they read changes (module docstring).
    Only for views whose GET answer depends on nothing but the database, the viewer and the
    request's address, language and theme, and that change nothing outside the database."""
    name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        key = _key(request, name)
        stored = pages.get(key)
        if isinstance(stored, Stored):
            tables = frozenset(t for t, _ in stored.tables)
            if versions(tables) == dict(stored.tables):
                return _answer(stored, request)
        hint = _hints.get(name, frozenset()) | _always()
        before = versions(hint)
        request._kring_page_render = True  # type: ignore[attr-defined]
        try:
            with _reading() as reader:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
        finally:
            request._kring_page_render = False  # type: ignore[attr-defined]
        html = ""
        if not response.streaming and NONCE.encode() in response.content:
            html = response.content.decode(response.charset)
            response.content = html.replace(NONCE, _nonce(request)).encode(response.charset)
        learnt = frozenset(reader.tables)
        if not learnt <= hint:
            _hints[name] = hint | learnt
        elif _keep(response, request, reader):
            html = html or response.content.decode(response.charset)
            headers = tuple((k, v) for k, v in response.items() if k.lower() != "set-cookie")
            pages.set(
                key,
                Stored(zlib.compress(html.encode(), 1), headers, tuple(sorted(before.items()))),
                settings.KRING_PAGE_CACHE_SECONDS,
            )
        response["X-Kring-Cache"] = "miss"
        return response

    return wrapper
