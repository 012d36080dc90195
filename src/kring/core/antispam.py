"""Spam protection for public forms and endpoints, without third parties or trackers.

Three layers, each cheap for people and costly for bots:

1. **Honeypot** — a text field people never see (hidden with CSS, ``aria-hidden``, no tab
   stop). A filled honeypot marks a bot; the submission is *quietly dropped*: the bot sees the
   normal "thank you" page and nothing is stored.
2. **Rate limit** — per e-mail address and per IP address, counted in the Django cache
   (the database cache by default, Redis when ``REDIS_URL`` is set). Too many submissions in
   the window answer with a clear message ("try again later"), never a 500.
3. **Proof of work** in the spirit of ALTCHA (https://altcha.org, same payload format):
   the server issues ``{"algorithm": "SHA-256", "challenge", "salt", "signature",
   "maxnumber"}`` where ``salt`` carries an expiry (``?expires=<unix time>``),
   ``challenge = sha256(salt + str(number))`` for a secret random ``number`` ≤ ``maxnumber``
   and ``signature = HMAC-SHA256(SECRET_KEY-derived key, challenge)``. The browser finds the
   number by brute force with the static ``results/altcha.js`` (no inline script, CSP-safe)
   and sends back base64(JSON ``{algorithm, challenge, number, salt, signature}``). The server
   checks the signature, the solution and the expiry, and **remembers used challenges** with
   ``cache.add`` until they expire, so a solved challenge cannot be replayed.

Use in a form::

    class AskForm(AntiSpamFormMixin, forms.Form):
        email = forms.EmailField()
        ...

    form = AskForm(request.POST)
    if form.is_valid():
        verdict = verify_submission(request, form, scope="results.ask")
        if verdict.is_bot:
            return redirect("thanks")          # quiet drop
        # verdict.ok: go on (errors such as rate limits were added to the form)

``verify_submission`` adds a form error and returns ``Verdict(ok=False)`` for problems a
person can fix (missing/expired/replayed challenge, rate limit). In a template, render the
widget with ``{% include "core/antispam_fields.html" %}``-like markup: see
``kring/results/templates/results/_antispam.html`` and load ``results/altcha.js`` with
``nonce="{{ csp_nonce }}"``.

For JSON endpoints call :func:`verify_payload` with the raw fields (``honeypot``,
``altcha``, ``email``) and the request; it raises :class:`SpamRejected` (a ``DomainError``
with status 400 or 429).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

HONEYPOT_FIELD = "website"
CHALLENGE_FIELD = "altcha"
ALGORITHM = "SHA-256"
#: Seconds a challenge stays valid.
CHALLENGE_TTL = 20 * 60
#: Upper bound of the secret number: about ``MAX_NUMBER / 2`` hashes on average (~1 s).
DEFAULT_MAX_NUMBER = 60_000
#: Submissions allowed per window, per e-mail address and per IP address.
DEFAULT_RATE = {"email": 3, "ip": 10}
DEFAULT_WINDOW = 60 * 60


class SpamRejected(DomainError):
    status = 400
    code = "spam_check_failed"


def _max_number() -> int:
    return int(getattr(settings, "KRING_ANTISPAM_MAX_NUMBER", DEFAULT_MAX_NUMBER))


def _key() -> bytes:
    return hashlib.sha256(("kring.antispam:" + settings.SECRET_KEY).encode()).digest()


def _sign(challenge: str) -> str:
    return hmac.new(_key(), challenge.encode(), hashlib.sha256).hexdigest()


def _digest(salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


def create_challenge(
    *, max_number: int | None = None, ttl: int = CHALLENGE_TTL, now: float | None = None
) -> dict[str, Any]:
    """A fresh signed challenge (a JSON-able dict) for the browser or an API client."""
    max_number = max_number or _max_number()
    expires = int((now if now is not None else time.time()) + ttl)
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    number = secrets.randbelow(max_number + 1)
    challenge = _digest(salt, number)
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": max_number,
        "salt": salt,
        "signature": _sign(challenge),
    }


def solve_challenge(challenge: dict[str, Any]) -> str:
    """Brute-force a challenge the way the browser does; returns the payload to submit.

    For tests and API clients written in Python (O(maxnumber) hashes).
    """
    for n in range(int(challenge["maxnumber"]) + 1):
        if _digest(challenge["salt"], n) == challenge["challenge"]:
            return encode_payload(
                {
                    **{k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")},
                    "number": n,
                }
            )
    raise ValueError("unsolvable challenge")


def encode_payload(data: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def _expires(salt: str) -> int | None:
    if "?" not in salt:
        return None
    for part in salt.split("?", 1)[1].split("&"):
        name, _sep, value = part.partition("=")
        if name == "expires" and value.isdigit():
            return int(value)
    return None


def verify_challenge(payload: str, *, now: float | None = None) -> None:
    """Check signature, solution and expiry, then mark the challenge used (no replays).

    Raises :class:`SpamRejected` with a message a person can act on.
    """
    if not payload:
        raise SpamRejected(
            _(
                "The anti-spam check did not run. It needs JavaScript: switch it on and wait a "
                "moment before sending."
            ),
            code="challenge_missing",
            field=CHALLENGE_FIELD,
        )
    try:
        data = json.loads(base64.b64decode(payload.encode(), validate=True))
        algorithm = str(data["algorithm"])
        challenge = str(data["challenge"])
        salt = str(data["salt"])
        signature = str(data["signature"])
        number = int(data["number"])
    except (ValueError, KeyError, TypeError):
        raise SpamRejected(
            _("The anti-spam check is not valid. Reload the page and try again."),
            code="challenge_invalid",
            field=CHALLENGE_FIELD,
        ) from None
    invalid = SpamRejected(
        _("The anti-spam check is not valid. Reload the page and try again."),
        code="challenge_invalid",
        field=CHALLENGE_FIELD,
    )
    if algorithm != ALGORITHM or not hmac.compare_digest(_sign(challenge), signature):
        raise invalid
    if number < 0 or not hmac.compare_digest(_digest(salt, number), challenge):
        raise invalid
    expires = _expires(salt)
    now = now if now is not None else time.time()
    if expires is None or expires < now:
        raise SpamRejected(
            _("The anti-spam check has expired. Reload the page (your text stays) and send again."),
            code="challenge_expired",
            field=CHALLENGE_FIELD,
        )
    key = "antispam:used:" + hashlib.sha256(signature.encode()).hexdigest()
    # add() is atomic on Redis and on the database cache (unique key): a second use fails.
    if not cache.add(key, 1, timeout=int(expires - now) + 60):
        raise SpamRejected(
            _("This anti-spam check was already used. Reload the page and send again."),
            code="challenge_replayed",
            field=CHALLENGE_FIELD,
        )


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``KRING_PROXY_COUNT`` reverse proxies (the setting that
    also feeds ``AXES_IPWARE_PROXY_COUNT``) it is the N-th address from the right of
    ``X-Forwarded-For`` — the one the outermost trusted proxy saw; otherwise ``REMOTE_ADDR``."""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if proxies:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def hit_rate_limit(
    *, scope: str, kind: str, value: str, limit: int, window: int = DEFAULT_WINDOW
) -> bool:
    """Count one hit for ``value``; True when it goes over ``limit`` within ``window`` s.

    Fixed windows in the cache; values are hashed (no e-mail addresses or IPs in the cache).
    """
    bucket = int(time.time() // window)
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    key = f"antispam:rl:{scope}:{kind}:{digest}:{bucket}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return count > limit


def check_rate_limit(
    request: HttpRequest,
    *,
    scope: str,
    email: str = "",
    rate: dict[str, int] | None = None,
    window: int = DEFAULT_WINDOW,
) -> None:
    rate = {**DEFAULT_RATE, **(rate or {})}
    over = hit_rate_limit(
        scope=scope, kind="ip", value=client_ip(request), limit=rate["ip"], window=window
    )
    if email:
        over = (
            hit_rate_limit(
                scope=scope, kind="email", value=email, limit=rate["email"], window=window
            )
            or over
        )
    if over:
        raise SpamRejected(
            _("Too many requests were sent from here. Please try again in an hour."),
            code="rate_limited",
            status=429,
        )


@dataclass(frozen=True)
class Verdict:
    ok: bool
    is_bot: bool = False


def verify_payload(
    request: HttpRequest,
    *,
    scope: str,
    honeypot: str = "",
    altcha: str = "",
    email: str = "",
    rate: dict[str, int] | None = None,
) -> Verdict:
    """The three checks for any submission. Returns ``Verdict(is_bot=True)`` for a filled
    honeypot (drop it quietly); raises :class:`SpamRejected` otherwise on failure."""
    if honeypot.strip():
        return Verdict(ok=False, is_bot=True)
    check_rate_limit(request, scope=scope, email=email, rate=rate)
    verify_challenge(altcha)
    return Verdict(ok=True)


def verify_submission(
    request: HttpRequest,
    form: forms.Form,
    *,
    scope: str,
    email_field: str = "email",
    rate: dict[str, int] | None = None,
) -> Verdict:
    """Run the checks on a valid :class:`AntiSpamFormMixin` form.

    A bot (honeypot filled) gets ``Verdict(ok=False, is_bot=True)``: show the normal success
    page and store nothing. A fixable problem is added to the form as an error and gives
    ``Verdict(ok=False)``. Otherwise ``Verdict(ok=True)``.
    """
    data = form.cleaned_data
    try:
        return verify_payload(
            request,
            scope=scope,
            honeypot=data.get(HONEYPOT_FIELD) or "",
            altcha=data.get(CHALLENGE_FIELD) or "",
            email=data.get(email_field) or "",
            rate=rate,
        )
    except SpamRejected as exc:
        form.add_error(None, str(exc))
        return Verdict(ok=False)


class AntiSpamFormMixin(forms.Form):
    """Adds the honeypot and the proof-of-work payload fields to a form.

    The template shows the honeypot inside an element hidden from people and assistive
    technology, and a ``data-altcha`` element carrying ``form.antispam_challenge`` (JSON) for
    ``altcha.js``. Call :func:`verify_submission` after ``is_valid()``.
    """

    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    altcha = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.antispam_challenge = json.dumps(create_challenge())
