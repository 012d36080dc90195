"""Reads: who a host message would reach, and the messages a person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from kring.gatherings.models import AgendaRead, Gathering, Rsvp, RsvpStatus
from kring.networks.models import Membership, Network
from kring.people.models import User

from .models import Audience, HostMessage, HostMessageRecipient


def recipients(
    *, network: Network, audience: str, gathering: Gathering | None, exclude: Any = None
) -> QuerySet[User]:
    """Active members (not paused, not gone) in the audience; the writer is left out."""
    members = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active().filter(network=network).values("user_id"),
    )
    if audience != Audience.ALL:
        assert gathering is not None  # checked by the use-case
        going = Rsvp.objects.filter(
            gathering=gathering, user_id=OuterRef("pk"), status=RsvpStatus.GOING
        )
        if audience == Audience.GOING:
            members = members.filter(Exists(going))
        elif audience == Audience.NOT_ANSWERED:
            answered = Rsvp.objects.filter(gathering=gathering, user_id=OuterRef("pk"))
            members = members.exclude(Exists(answered))
        elif audience == Audience.AGENDA_UNREAD:
            read = AgendaRead.objects.filter(gathering=gathering, user_id=OuterRef("pk"))
            members = members.filter(Exists(going)).exclude(Exists(read))
    if exclude is not None:
        members = members.exclude(pk=exclude.pk)
    return members.select_related("profile").order_by("profile__display_name", "pk")


def messages_for(*, network: Network, user: Any, is_host: bool) -> QuerySet[HostMessage]:
    """Hosts see every message of their network; a member those addressed to them."""
    qs = HostMessage.objects.filter(network=network).select_related("author__profile", "gathering")
    if not is_host:
        qs = qs.filter(
            Exists(HostMessageRecipient.objects.filter(message=OuterRef("pk"), user=user))
        )
    return qs
