from __future__ import annotations

import hashlib

from django.tasks import task
from django.urls import reverse

from kring.notify.services import notify
from kring.people.models import User

from .services import store_export


@task
def export_personal_data(user_id: int) -> None:
    """Build the ZIP and e-mail the person a signed link (valid 7 days, login required)."""

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    token = store_export(user=user)
    notify(
        kind="account",
        recipient=user,
        idempotency_key=f"export:{hashlib.sha256(token.encode()).hexdigest()[:16]}",
        template="privacy/email/export_ready",
        context={"url": reverse("privacy:download", args=[token]), "user": user},
    )
