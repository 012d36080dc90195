"""``{% cached_form form %}``: an unbound form's ``as_div()`` from the fragment cache
(``kring.core.fragments.form_html``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from kring.core.fragments import form_html

register = template.Library()


@register.simple_tag
def cached_form(form: Any) -> SafeString:
    return form_html(form)
