from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Integer cents → '€ 1.234,56' (in the active language's number format)."""
    if cents is None:
        return ""
    value = Decimal(int(cents)) / 100
    sign = "−" if value < 0 else ""
    return f"{sign}€\u00a0{number_format(abs(value), 2, use_l10n=True, force_grouping=True)}"


@register.filter
def euro_input(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{int(cents) // 100},{int(cents) % 100:02d}"
