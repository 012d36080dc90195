"""The directory's page of people: plain rows, and each card from the fragment cache.

A page of the directory shows 48 person cards. Building them from model instances (a
membership, its user, profile, profile tags and tags: some 800 objects a page) cost more than
rendering them. Here the page is read as ``values()`` rows and one query for its tags, each
card's cache key is a digest of everything the card shows (``card_key``), and only the cards
missing from the per-process ``fragments`` cache are rendered (``kring.core.fragments``) —
from the same plain rows, so a cold page runs the same queries as a warm one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from kring.core.fragments import fragment_key, render_fragments
from kring.people.models import ProfileTag, TagKind, initials_of

from .models import Membership, Network

PER_PAGE = 48
CARD_TEMPLATE = "networks/_person_card.html"

_FIELDS = (
    "pk",
    "user_id",
    "role",
    "status",
    "user__profile__id",
    "user__profile__display_name",
    "user__profile__passion",
    "user__profile__city",
    "user__profile__photo",
)


@dataclass(frozen=True)
class Card:
    """What a person's card shows; shaped like a profile for ``{% avatar %}``."""

    membership_id: int
    user_id: int
    role: str
    status: str
    profile_id: int
    display_name: str
    passion: str
    city: str
    photo: str  # the stored file's name, "" without a photo
    passion_tags: tuple[str, ...]
    talent_tags: tuple[str, ...]

    @property
    def pk(self) -> int:  # the avatar's tint is chosen by the profile's id
        return self.profile_id

    @property
    def initials(self) -> str:
        return initials_of(self.display_name)


def card_page(members: QuerySet[Membership], number: Any) -> tuple[Page[Any], list[Card]]:
    """The page ``number`` of ``members`` (``selectors.members_of``) and its cards, in order:
    the count, the page's rows and their tags — three queries at any size of network."""
    rows = members.prefetch_related(None).values(*_FIELDS)
    page = Paginator(rows, PER_PAGE).get_page(number)
    rows = list(page.object_list)
    profile_ids = [r["user__profile__id"] for r in rows if r["user__profile__id"]]
    tags: dict[tuple[int, str], list[str]] = defaultdict(list)
    for profile_id, kind, name in ProfileTag.objects.filter(
        profile_id__in=profile_ids, kind__in=[TagKind.PASSION, TagKind.TALENT]
    ).values_list("profile_id", "kind", F("tag__name")):
        tags[profile_id, kind].append(name)
    cards = [
        Card(
            membership_id=r["pk"],
            user_id=r["user_id"],
            role=r["role"],
            status=r["status"],
            profile_id=r["user__profile__id"] or 0,
            display_name=r["user__profile__display_name"] or "",
            passion=r["user__profile__passion"] or "",
            city=r["user__profile__city"] or "",
            photo=r["user__profile__photo"] or "",
            passion_tags=tuple(sorted(tags[r["user__profile__id"], TagKind.PASSION])),
            talent_tags=tuple(sorted(tags[r["user__profile__id"], TagKind.TALENT])),
        )
        for r in rows
    ]
    return page, cards


def card_key(card: Card, *, viewer_id: int | None, network: Network) -> str:
    """The fragment-cache key of a card: a digest of everything it shows, whether it is the
    viewer's own card (their photo has its own address), the network, the language and the
    time zone — so a changed profile is a new key, and nothing of one viewer or language
    reaches another."""
    return fragment_key("person_card", card, viewer_id == card.user_id, network.slug)


def render_cards(request: HttpRequest, network: Network, cards: Sequence[Card]) -> SafeString:
    """The cards' HTML in order: cached ones as they are, the others rendered and stored."""
    viewer_id = getattr(request.user, "pk", None)
    html = render_fragments(
        CARD_TEMPLATE,
        [
            (
                card_key(card, viewer_id=viewer_id, network=network),
                {"card": card, "network": network, "request": request},
            )
            for card in cards
        ],
    )
    return mark_safe("".join(html))  # rendered, escaped templates
