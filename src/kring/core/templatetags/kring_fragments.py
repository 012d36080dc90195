"""``{% cached_form form %}``: an unbound form's ``as_div()`` from the fragment cache
(``kring.core.fragments.form_html``); ``{% shell_url name arg %}``: the shell's links,
reversed once per process."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from kring.core.fragments import form_html

register = template.Library()


@register.simple_tag
def cached_form(form: Any) -> SafeString:
    return form_html(form)


@register.simple_tag
def shell_url(name: str, *args: Any) -> str:
    """``{% url %}`` for the shell's links, reversed once per process: the same few addresses
    (and the current network's) on every page. Escaped as ``{% url %}`` is."""
    return _shell_url(
        name, tuple(str(a) for a in args), get_script_prefix(), get_urlconf(), get_language()
    )


@functools.lru_cache(maxsize=4096)
def _shell_url(
    name: str, args: tuple[str, ...], prefix: str, urlconf: str | None, language: str | None
) -> str:
    return reverse(name, args=args, urlconf=urlconf)
