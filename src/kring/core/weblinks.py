"""Links people type in (an online meeting, evidence, a preparation link): only http(s).

Anything else — ``javascript:``, ``data:``, ``file:``, ``ftp:`` — would be rendered as a link
for every member; one validator for forms, model fields and use-cases (so the API too).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError

WEB_SCHEMES = ["http", "https"]
MESSAGE = _("Enter a web address that starts with http:// or https://.")

validate_web_url = URLValidator(schemes=WEB_SCHEMES, message=MESSAGE)


def check_web_url(value: Any, *, field: str) -> str:
    """The address, stripped, if it is an http(s) URL (or empty); else a ``DomainError``."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        validate_web_url(text)
    except ValidationError as exc:
        raise DomainError(MESSAGE, field=field) from exc
    return text


class WebURLField(forms.URLField):
    """A form field for http(s) addresses only (``example.org`` becomes ``https://…``)."""

    default_validators = [validate_web_url]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
