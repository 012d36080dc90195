from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from .models import User
from .services import ensure_profile

INVITATION_SESSION_KEY = "kring_invitation"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    """Creates the person-first profile at sign-up and returns invitees to their network."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language() or "nl"
        user.language = "en" if language.startswith("en") else "nl"
        if commit:
            user.save()

            ensure_profile(user, display_name=form.cleaned_data.get("display_name", ""))
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Allauth's own mails (verification, password reset, login code) stay in allauth,
        but go out in the person's language (the one they last used), not the request's."""
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def _invitation_url(self, request: HttpRequest) -> str | None:
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            return reverse("networks:invitation", args=[token])
        return None

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._invitation_url(request) or super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address: Any) -> str | None:
        url = super().get_email_verification_redirect_url(email_address)
        return str(url) if url is not None else None
