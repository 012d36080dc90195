"""Account security hooks: the login throttle's username, and revocation of every session
and API token on sign-out-everywhere, password change/reset and account deactivation."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.db.models.signals import post_save
from django.http import HttpRequest

from kring.core import audit
from kring.people.services import revoke_all_api_tokens

logger = logging.getLogger("kring.privacy")


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """allauth authenticates with ``email=``; the Django admin with ``username=``."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or ""
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username") or ""
    return str(value).strip().lower()


def _session_store(session_key: str) -> SessionBase:

    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def end_all_sessions(*, user: Any, keep_session_key: str | None = None) -> int:
    """End every browser session of ``user`` (tracked by allauth's usersessions; works
    with database, cache and cached_db session engines)."""

    ended = 0
    for session in UserSession.objects.filter(user=user):
        if keep_session_key and session.session_key == keep_session_key:
            continue
        _session_store(session.session_key).delete()
        session.delete()
        ended += 1
    return ended


def revoke_everything(*, user: Any, reason: str, keep_session_key: str | None = None) -> None:
    """Sessions and API tokens of ``user`` stop working now."""

    tokens = revoke_all_api_tokens(user=user)
    sessions = end_all_sessions(user=user, keep_session_key=keep_session_key)
    audit.record(
        verb="account.sessions_revoked",
        actor=user,
        obj=user,
        reason=reason,
        tokens=tokens,
        sessions=sessions,
    )


def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    keep = request.session.session_key if hasattr(request, "session") else None
    revoke_everything(user=user, reason="password_changed", keep_session_key=keep)


def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    revoke_everything(user=user, reason="password_reset")


def on_user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Deactivation (``is_active`` switched off) revokes everything."""
    if created or instance.is_active:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "is_active" not in update_fields:
        return
    revoke_everything(user=instance, reason="deactivated")


def on_django_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Track every session at login (also logins outside allauth), so that
    "sign out everywhere" can find it."""
    if request is None or not hasattr(request, "session"):
        return

    session = request.session
    try:
        if not session.session_key:
            session.save()
        UserSession.objects.get_or_create(
            session_key=session.session_key,
            defaults={
                "user": user,
                "ip": request.META.get("REMOTE_ADDR") or "0.0.0.0",  # noqa: S104
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            },
        )
    except Exception:  # tracking must never block a login
        logger.exception("could not record the session")


def connect() -> None:

    password_changed.connect(on_password_changed, dispatch_uid="kring_privacy_pw_changed")
    password_set.connect(on_password_changed, dispatch_uid="kring_privacy_pw_set")
    password_reset.connect(on_password_reset, dispatch_uid="kring_privacy_pw_reset")
    user_logged_in.connect(on_django_login, dispatch_uid="kring_privacy_login")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="kring_privacy_user")
