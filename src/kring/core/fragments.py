"""Rendered fragments of pages kept per process (the ``fragments`` LocMemCache).

A list page (the directory's person cards, the knowledge list's posts, the introduction
cards) reads its rows as plain data, names each item's HTML by a digest of everything the item
shows plus whatever makes it differ between viewers, languages and time zones
(``fragment_key``), reads all of them at once and renders only the ones missing. Keys never go
stale: a changed object is a new key; old ones age out of the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

SECONDS = 86400


def fragment_key(kind: str, *parts: Any) -> str:
    """``kind:`` and a digest of ``parts`` (their ``repr``: use plain data, dataclasses, tuples)
    with the active language and time zone, which every rendered fragment depends on."""
    everything = (parts, get_language(), timezone.get_current_timezone_name())
    return f"{kind}:{hashlib.sha256(repr(everything).encode()).hexdigest()}"


def render_fragments(
    template_name: str, items: Sequence[tuple[str, dict[str, Any]]]
) -> list[SafeString]:
    """The HTML of each ``(key, context)`` in order: from the cache, or ``template_name``
    rendered with ``context`` (no context processors: give it what it shows) and stored."""
    cache = caches["fragments"]
    found: dict[str, str] = cache.get_many([key for key, _ in items])
    if len(found) < len(items):
        template = get_template(template_name)
        missing = {key: template.render(context) for key, context in items if key not in found}
        cache.set_many(missing, SECONDS)
        found.update(missing)
    return [mark_safe(found[key]) for key, _ in items]  # rendered, escaped templates


def _field_shape(name: str, field: Any) -> tuple[Any, ...]:
    choices = getattr(field, "choices", None)
    widget = field.widget
    return (
        name,
        type(field).__qualname__,
        str(field.label),
        str(field.help_text),
        field.required,
        field.disabled,
        field.initial,
        getattr(field, "max_length", None),
        type(widget).__qualname__,
        sorted((str(k), str(v)) for k, v in widget.attrs.items()),
        None if choices is None else [(str(v), str(label)) for v, label in choices],
    )


def form_html(form: Any) -> SafeString:
    """``form.as_div()``, for an unbound form rendered once per process: the key is a digest of
    the form's class, prefix, initial values and each field's label, help, widget, attributes
    and choices (so a form whose choices or initial values differ gets its own), the language
    and the time zone. A bound form (errors, submitted values) is always rendered."""
    if form.is_bound:
        return form.as_div()  # type: ignore[no-any-return]
    key = fragment_key(
        "form",
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        form.auto_id,
        sorted((str(k), repr(v)) for k, v in form.initial.items()),
        [_field_shape(name, field) for name, field in form.fields.items()],
    )
    cache = caches["fragments"]
    html: str | None = cache.get(key)
    if html is None:
        html = str(form.as_div())
        cache.set(key, html, SECONDS)
    return mark_safe(html)  # rendered by the form's own (escaping) templates
