"""Cross-cutting trust rules for every request.

- The JSON API is rate-limited per token/user (anonymous: per address); anonymous POSTs
  to any page (sign-up, applications, contact forms) per address.
- ``Cache-Control: no-store`` on every response to a signed-in person (session or bearer
  token), unless the view opted out (``kring.core.http.storable``) or the response is public
  on purpose (``Cache-Control: public``); and on private paths (account, export) for anyone.
- With ``KRING_REQUIRE_MFA_FOR_HOSTS`` on, a host without a second factor is sent to the
  two-factor setup page (everything under /accounts/ and the API stay reachable).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from kring.networks.models import ENDED_STATUSES, Membership, Role

from .ratelimit import client_ip, over_limit, too_many_requests

NO_STORE_PATHS = re.compile(
    r"^/(me/|privacy/(export|delete)|accounts/|n/[^/]+/ledger/|api/v1/(me|privacy)|admin/)"
)
MFA_EXEMPT = ("/accounts/", "/api/", "/static/", "/media/", "/i18n/", "/jsi18n/", "/privacy/")


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """A response to a signed-in person that no view declared shareable."""
    if getattr(request, "storable", False) or "public" in response.get("Cache-Control", ""):
        return False
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return signed_in or request.headers.get("Authorization", "").startswith("Bearer ")


class TrustMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        limited = self._rate_limit(request, path)
        if limited is not None:
            return limited
        redirect = self._require_mfa(request, path)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if (
            NO_STORE_PATHS.match(path)
            or getattr(request, "no_store", False)
            or _personal(request, response)
        ):
            response["Cache-Control"] = "no-store"
        return response

    def _rate_limit(self, request: HttpRequest, path: str) -> HttpResponse | None:
        if path.startswith("/api/v1/"):
            auth = request.headers.get("Authorization", "")
            user = getattr(request, "user", None)
            if auth.startswith("Bearer "):
                key = "t:" + hashlib.sha256(auth.encode()).hexdigest()[:32]
                rate = settings.KRING_API_RATE
            elif user is not None and user.is_authenticated:
                key, rate = f"u:{user.pk}", settings.KRING_API_RATE
            else:
                key, rate = "ip:" + client_ip(request), settings.KRING_API_ANON_RATE
            if over_limit(request, group="api", key=key, rate=rate):
                return too_many_requests(request, api=True)
            return None
        user = getattr(request, "user", None)
        anonymous = not (user is not None and user.is_authenticated)
        if (
            request.method == "POST"
            and anonymous
            and over_limit(
                request, group="anon-post", key=client_ip(request), rate=settings.KRING_FORM_RATE
            )
        ):
            return too_many_requests(request)
        return None

    def _require_mfa(self, request: HttpRequest, path: str) -> HttpResponse | None:
        if not getattr(settings, "KRING_REQUIRE_MFA_FOR_HOSTS", False):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or path.startswith(MFA_EXEMPT):
            return None

        is_host = (
            Membership.objects.filter(user=user, role=Role.HOST)
            .exclude(status__in=ENDED_STATUSES)
            .exists()
        )
        if not is_host:
            return None
        has_mfa = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        if has_mfa:
            return None
        return HttpResponseRedirect(reverse("mfa_index"))
