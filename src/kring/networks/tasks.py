from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.notify.services import Address, notify
from kring.people.models import User

from .models import Invitation


@task
def send_invitation(invitation_id: int, raw_token: str) -> None:

    invitation = (
        Invitation.objects.select_related("network", "invited_by__profile")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state != "pending":
        return
    existing = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    notify(
        kind="invitation",
        recipient=existing or Address(invitation.email, language=invitation.network.language),
        network=invitation.network,
        idempotency_key=f"invitation:{invitation.pk}:{invitation.sent_count}",
        template="networks/email/invitation",
        url=reverse("networks:invitation", args=[raw_token]),
        context={
            "invitation": invitation,
            "network": invitation.network,
            "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
            "url": reverse("networks:invitation", args=[raw_token]),
        },
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_count=invitation.sent_count + 1, last_sent_at=timezone.now()
    )
