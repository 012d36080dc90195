"""Reads for knowledge: post lists, one post, search over posts and people."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from kring.core.files import is_random_name
from kring.networks.access import network_by_slug, viewer_membership
from kring.networks.models import (
    ENDED_STATUSES,
    Membership,
    MembershipQuerySet,
    MembershipStatus,
    Network,
)
from kring.people.models import Visibility

from .models import Comment, KnowledgeTag, Post, PostImage, PostQuerySet, PostVisibility

SEARCH_FIELDS_POST = ("title", "summary", "body", "tags__name")
SEARCH_FIELDS_PERSON = (
    "user__profile__display_name",
    "user__profile__passion",
    "user__profile__talents",
    "user__profile__offers",
    "user__profile__story",
    "user__profile__city",
    "user__profile__profile_tags__tag__name",
)
RANK_WEIGHTS = {
    "title": 3,
    "summary": 2,
    "body": 1,
    "user__profile__display_name": 3,
    "user__profile__passion": 2,
    "user__profile__talents": 2,
    "user__profile__offers": 2,
    "user__profile__story": 1,
    "user__profile__city": 1,
}


def posts_for(network: Network, *, public_only: bool = False, tag: str = "") -> QuerySet[Post]:
    qs: PostQuerySet = (
        Post.objects.for_network(network)
        .select_related("author__profile", "network")
        .prefetch_related(Prefetch("tags", queryset=KnowledgeTag.objects.order_by("name")))
        .annotate(comment_count=Count("comments", distinct=True))
    )
    if public_only:
        qs = qs.public()
    if tag:
        qs = qs.filter(tags__name=tag.strip().lower())
    return qs.order_by("-created_at", "-pk")


def get_post(network: Network, pk: int, *, public_only: bool = False) -> Post:
    qs = Post.objects.for_network(network).select_related("author__profile", "network")
    if public_only:
        qs = qs.public()
    post = qs.filter(pk=pk).first()
    if post is None:
        raise Http404(_("No such post."))
    return post


def comments_of(post: Post) -> QuerySet[Comment]:
    return post.comments.select_related("author__profile").order_by("created_at", "pk")


def tags_in_use(network: Network, *, public_only: bool = False) -> list[tuple[str, int]]:
    posts = Q(posts__network=network)
    if public_only:
        posts &= Q(posts__visibility=PostVisibility.PUBLIC)
    rows = (
        KnowledgeTag.objects.filter(network=network)
        .annotate(n=Count("posts", filter=posts, distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "name")[:30]
    )
    return [(t.name, t.n) for t in rows]


def _terms(query: str) -> list[str]:
    return [t for t in query.lower().split() if t][:8]


def _rank_by_matches(qs: QuerySet[Any], fields: tuple[str, ...], terms: list[str]) -> QuerySet[Any]:
    """SQLite fallback: a row matches when every term is found in one of ``fields``; the rank
    adds the weights of the single-valued fields each term hits (title beats body), so rows
    with more and better hits come first. Multi-valued fields (tags) filter but do not rank."""
    match = Q()
    for term in terms:
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": term})
        match &= any_field
    rank: Any = Value(0, output_field=IntegerField())
    for term in terms:
        for f, weight in RANK_WEIGHTS.items():
            if f in fields:
                rank = rank + Case(
                    When(**{f"{f}__icontains": term}, then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
    ids = qs.filter(match).values("pk").distinct()
    return qs.filter(pk__in=ids).annotate(rank=rank)


def search_posts(
    network: Network, query: str, *, public_only: bool = False, limit: int = 30
) -> list[Post]:
    terms = _terms(query)
    if not terms:
        return []
    base: PostQuerySet = Post.objects.for_network(network).select_related("author__profile")
    if public_only:
        base = base.public()
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="simple")
            + SearchVector("summary", weight="B", config="simple")
            + SearchVector("body", weight="C", config="simple")
        )
        sq = SearchQuery(" ".join(terms), search_type="plain", config="simple")
        qs: QuerySet[Any] = (
            base.annotate(rank=SearchRank(vector, sq))
            .filter(Q(rank__gt=0) | Q(tags__name__in=terms))
            .distinct()
        )
        return list(qs.order_by("-rank", "-created_at")[:limit])
    qs = _rank_by_matches(base, SEARCH_FIELDS_POST, terms)
    return list(qs.order_by("-rank", "-created_at", "-pk")[:limit])


def search_people(network: Network, query: str, *, limit: int = 30) -> list[Membership]:
    terms = _terms(query)
    if not terms:
        return []
    base: MembershipQuerySet = (
        Membership.objects.filter(network=network)
        .exclude(status__in=ENDED_STATUSES)
        .select_related("user__profile")
    )
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("user__profile__display_name", weight="A", config="simple")
            + SearchVector(
                "user__profile__passion",
                "user__profile__talents",
                "user__profile__offers",
                weight="B",
                config="simple",
            )
            + SearchVector(
                "user__profile__story", "user__profile__city", weight="C", config="simple"
            )
        )
        sq = SearchQuery(" ".join(terms), search_type="plain", config="simple")
        qs: QuerySet[Any] = (
            base.annotate(rank=SearchRank(vector, sq))
            .filter(Q(rank__gt=0) | Q(user__profile__profile_tags__tag__name__in=terms))
            .distinct()
        )
        return list(qs.order_by("-rank", "user__profile__display_name")[:limit])
    qs = _rank_by_matches(base, SEARCH_FIELDS_PERSON, terms)
    return list(qs.order_by("-rank", "user__profile__display_name", "pk")[:limit])


def public_members(network: Network, *, limit: int = 24) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            network=network,
            status=MembershipStatus.ACTIVE,
            user__profile__visibility=Visibility.PUBLIC,
        )
        .select_related("user__profile")
        .order_by("user__profile__display_name")[:limit]
    )


def recent_public_posts(network: Network, *, limit: int = 5) -> list[Post]:
    return list(posts_for(network, public_only=True)[:limit])


def image_for(user: Any, slug: str, key: str) -> tuple[PostImage, bool]:
    """An uploaded image and whether it is public (shown by a public post of its network).

    Members of the network see every image of it; anyone else only an image that a public
    post embeds. Anything else is 404, like a missing image.
    """
    network = network_by_slug(slug)
    if network is None or not is_random_name(key):
        raise Http404(_("No such image."))
    image = PostImage.objects.filter(network=network, image=f"knowledge/{key}").first()
    if image is None:
        raise Http404(_("No such image."))
    public = Post.objects.public().filter(network=network, body__contains=key).exists()
    if not public and viewer_membership(user, network) is None:
        raise Http404(_("No such image."))
    return image, public
