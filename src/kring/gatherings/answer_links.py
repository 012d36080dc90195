"""One-click answers in e-mail: a signed link per person, gathering and answer.

The link's GET only shows a confirmation button; the POST answers. Mail scanners that fetch
every link in a message therefore answer nothing. A link is valid for 60 days and only for
its own person and gathering; it acts for that person without a log-in, like the guest links.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.urls import reverse

from kring.people.models import User

from .models import Gathering, RsvpStatus

SALT = "kring.gatherings.answer"
MAX_AGE = 60 * 24 * 3600
ANSWERS = (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING)


def answer_token(user: Any, gathering: Gathering, answer: str) -> str:
    return signing.dumps([user.pk, gathering.pk, answer], salt=SALT, compress=True)


def answer_links(user: Any, gathering: Gathering) -> dict[str, str]:
    """Paths per answer (``going``, ``maybe``, ``not_going``) for an e-mail."""
    return {
        str(a): reverse("gatherings_global:answer", args=[answer_token(user, gathering, a)])
        for a in ANSWERS
    }


def read_answer_token(token: str) -> tuple[User, Gathering, str] | None:
    try:
        user_id, gathering_id, answer = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if answer not in ANSWERS:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    gathering = Gathering.objects.select_related("network").filter(pk=gathering_id).first()
    if user is None or gathering is None:
        return None
    return user, gathering, answer
