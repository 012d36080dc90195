"""Background work: introduction e-mails and scheduled rounds."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils import translation

from kring.notify.services import notify

from . import reasons
from .models import Round, RoundStatus
from .selectors import member_names


@task
def send_introduction_mails(round_id: int) -> int:
    """Tell each person of a published pairs round who they are introduced to, and why.

    Idempotent: each person is told once per introduction (the delivery log's key), so a
    retried task only reaches those it had not reached.
    """
    round_ = (
        Round.objects.select_related("network")
        .filter(pk=round_id, status=RoundStatus.PUBLISHED)
        .first()
    )
    if round_ is None:
        return 0
    sent = 0
    url = reverse("introductions:index", kwargs={"slug": round_.network.slug})
    for intro in round_.introductions.prefetch_related("participants__user__profile"):
        names = member_names(intro.participants.all())
        for user in [p.user for p in intro.participants.all() if p.user is not None]:
            uid = user.pk
            others = [name for other, name in names.items() if other != uid]

            with translation.override(user.language):
                sentences = [
                    s
                    for item in reasons.for_group(intro.details, names=names, viewer_id=uid)
                    if item["mine"]
                    for s in item["sentences"]
                ]
            notify(
                kind="introduction",
                recipient=user,
                network=round_.network,
                idempotency_key=f"introduction:{intro.pk}",
                template="introductions/email/introduction",
                url=url,
                context={
                    "network": round_.network,
                    "name": names[uid],
                    "others": reasons.join_words(others) if others else "",
                    "sentences": sentences,
                    "url": url,
                },
            )
            sent += 1
    return sent
