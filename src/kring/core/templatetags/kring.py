from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from kring.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


def format_cents(cents: int | None, language: str | None = None) -> str:
    """Integer cents as euros, Dutch style (€ 1.234,56) or English style (€1,234.56)."""
    if cents is None:
        return ""
    language = language or get_language() or "nl"
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}"
    if language.startswith("nl"):
        return f"{sign}€ {grouped.replace(',', '.')},{rest:02d}"
    return f"{sign}€{grouped}.{rest:02d}"


@register.filter(name="cents")
def cents_filter(value: int | None) -> str:
    return format_cents(value)


@register.simple_tag(takes_context=True)
def active(context: template.Context, prefix: str) -> str:
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return 'aria-current="page"'
    return ""
