"""Sending e-mail in the recipient's language, HTML and plain text from templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and (if present) ``.html``."""
    if to.lower().endswith(".invalid"):
        return  # RFC 2606: never deliverable (e.g. a guest who signed up from the fediverse)
    language = language or settings.LANGUAGE_CODE
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}.txt", ctx)
        try:
            html = render_to_string(f"{template}.html", ctx)
        except TemplateDoesNotExist:  # the HTML part is optional
            html = None
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to], headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
