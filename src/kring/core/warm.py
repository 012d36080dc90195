"""Warm Django up once in gunicorn's master (``--preload``), before it forks its workers.

Django loads lazily: the first request imports every view and the API (through the URLconf),
reads the translation catalogues and compiles the templates it renders — seconds of work that
every freshly forked worker would otherwise repeat on its first request. Doing it in the
master makes the first request as quick as any other and lets the workers share the memory.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connections
from django.http.request import split_domain_port, validate_host
from django.template import engines
from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.timezone import localtime

logger = logging.getLogger("kring.warm")
# Anonymous pages that render the base template, forms and the error page; none writes.
WARM_PATHS = ["/healthz", "/accounts/login/", "/kring-warm-up-not-found/"]
_PATH_SOURCES: list[Callable[[], list[str]]] = []


def register_warm_paths(fn: Callable[[], list[str]]) -> None:
    """An app names more anonymous pages to request once, in every language, while warming
    up — pages whose first visit would otherwise fill a shared cache (the public network
    pages). ``fn()`` returns paths; keep them few (they delay "ready")."""
    if fn not in _PATH_SOURCES:
        _PATH_SOURCES.append(fn)


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
    application: Callable[..., Any], path: str, language: str = "", *, as_site: bool = False
) -> int:
    """One anonymous GET through the whole stack (middleware, context processors, formats).

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
    setup_testing_defaults(environ)
    environ["REMOTE_ADDR"] = "127.0.0.1"
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
    Session.objects.filter(pk="").exists()  # the SQL compiler, on the way to the database
    cache.get("kring:warm-up")
    connections.close_all()  # never share a database connection across fork
    logger.info(
        "warmed up in %.1f s: %d routes, %d models, %d templates, requests %s",
        time.perf_counter() - started,
        routes,
        n_models,
        compiled,
        statuses,
    )
