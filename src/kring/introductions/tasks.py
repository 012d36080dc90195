"""Background work: introduction e-mails and scheduled rounds."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils import translation

from kring.notify.services import notify

from . import reasons
from .models import Participant, Round, RoundStatus


def _names(participants: list[Participant]) -> dict[int, str]:
    return {p.user_id: p.user.display_name for p in participants}


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
        participants = list(intro.participants.all())
        names = _names(participants)
        for p in participants:
            others = [names[q.user_id] for q in participants if q.user_id != p.user_id]

            with translation.override(p.user.language):
                sentences = [
                    s
                    for item in reasons.for_group(intro.details, names=names, viewer_id=p.user_id)
                    if item["mine"]
                    for s in item["sentences"]
                ]
            notify(
                kind="introduction",
                recipient=p.user,
                network=round_.network,
                idempotency_key=f"introduction:{intro.pk}",
                template="introductions/email/introduction",
                url=url,
                context={
                    "network": round_.network,
                    "name": names[p.user_id],
                    "others": reasons.join_words(others) if others else "",
                    "sentences": sentences,
                    "url": url,
                },
            )
            sent += 1
    return sent
