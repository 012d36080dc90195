"""Small helpers that keep views thin: domain errors into forms and messages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .errors import DomainError


def form_error(form: forms.BaseForm, error: DomainError) -> None:
    """Attach a domain error to the form field it names (or to the form)."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error))


def message_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error))
