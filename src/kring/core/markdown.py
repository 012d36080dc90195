"""Markdown to safe HTML: Python-Markdown renders, nh3 (ammonia) sanitises."""

from __future__ import annotations

import functools
import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}


#: Texts up to this long are remembered (per process) with their HTML: posts, agendas and
#: profiles are shown far more often than they change, and rendering is the slow part of a
#: page that lists them. At most ``_REMEMBER`` texts, so at most a few MB per process.
_CACHE_MAX_CHARS = 20_000
_REMEMBER = 512
_local = threading.local()


def _converter() -> md.Markdown:
    # Building a Markdown instance (every extension's processors) costs more than converting
    # a short text: one per thread, reset between texts.
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return converter


def _render(text: str) -> str:
    converter = _converter()
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_render_remembered = functools.lru_cache(maxsize=_REMEMBER)(_render)


def render_markdown(text: str) -> SafeString:
    text = text or ""
    if len(text) <= _CACHE_MAX_CHARS:
        return mark_safe(_render_remembered(text))
    return mark_safe(_render(text))
