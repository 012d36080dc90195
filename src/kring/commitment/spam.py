"""Spam protection for the public application form: the shared ``kring.core.antispam``.

Honeypot (a bot is dropped quietly: it sees the normal "check your e-mail" page and nothing
is stored), per-address and per-e-mail rate limit, and the non-replayable proof-of-work
challenge. The proof of work needs the browser script ``results/altcha.js``; while that
static file is not there the challenge is not required (``proof_of_work_enabled()``), so the
form keeps working for people — the honeypot and the rate limit always apply.
"""

from __future__ import annotations

from django import forms
from django.contrib.staticfiles import finders
from django.http import HttpRequest

from kring.core import antispam

SCOPE = "commitment.apply"
RATE = {"email": 3, "ip": 10}
SCRIPT = "results/altcha.js"


def proof_of_work_enabled() -> bool:
    return bool(finders.find(SCRIPT))


class AntiSpamForm(antispam.AntiSpamFormMixin):
    pass


def check_form(request: HttpRequest, form: forms.Form) -> antispam.Verdict:
    """After ``form.is_valid()``: ``Verdict(is_bot=True)`` → pretend success; ``ok=False`` →
    the form has an error to show."""
    data = form.cleaned_data
    if (data.get(antispam.HONEYPOT_FIELD) or "").strip():
        return antispam.Verdict(ok=False, is_bot=True)
    if proof_of_work_enabled():
        return antispam.verify_submission(request, form, scope=SCOPE, rate=RATE)
    try:
        antispam.check_rate_limit(request, scope=SCOPE, email=data.get("email") or "", rate=RATE)
    except antispam.SpamRejected as exc:
        form.add_error(None, str(exc))
        return antispam.Verdict(ok=False)
    return antispam.Verdict(ok=True)


def check_payload(
    request: HttpRequest, *, honeypot: str, altcha: str, email: str
) -> antispam.Verdict:
    """The same checks for the JSON endpoint (raises ``SpamRejected`` 400/429)."""
    if honeypot.strip():
        return antispam.Verdict(ok=False, is_bot=True)
    if proof_of_work_enabled() or altcha:
        return antispam.verify_payload(
            request, scope=SCOPE, honeypot=honeypot, altcha=altcha, email=email, rate=RATE
        )
    antispam.check_rate_limit(request, scope=SCOPE, email=email, rate=RATE)
    return antispam.Verdict(ok=True)
