"""Spam protection for the public application form.

``kring.core.antispam`` (honeypot, per-address rate limit, proof-of-work) is used when it is
there; until then this module's own honeypot and per-address rate limit apply. Plugging the
shared one in is the one line in :func:`check`.
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError

HONEYPOT = "website"
LIMIT = 5           # applications
WINDOW = 3600       # per hour, per client address


class HoneypotMixin(forms.Form):
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off",
                                                            "tabindex": "-1"}))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check(request: HttpRequest, *, scope: str = "application") -> None:
    """Raise ``DomainError`` (429) when this address sent too many; count this attempt."""
    try:  # the shared protection, once it has landed
        from kring.core import antispam  # type: ignore[attr-defined]
    except ImportError:
        antispam = None
    if antispam is not None and hasattr(antispam, "check_rate"):
        antispam.check_rate(request, scope=scope)
        return
    key = f"commitment:rate:{scope}:{client_address(request)}"
    cache.add(key, 0, WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW)
        count = 1
    if count > LIMIT:
        raise DomainError(_("Too many applications from your address; please try again in an "
                            "hour."), code="rate_limited", status=429)
