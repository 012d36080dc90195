"""Reads for networks and their people."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kring.people.models import Profile, ProfileTag, TagKind, User

from .models import ENDED_STATUSES, Membership, MembershipStatus, Network


def networks_for_user(user: Any) -> QuerySet[Network]:
    return (
        Network.objects.filter(
            memberships__user=user,
            memberships__status__in=[MembershipStatus.ACTIVE, MembershipStatus.PAUSED],
        )
        .distinct()
        .order_by("name")
    )


def public_networks() -> QuerySet[Network]:
    return Network.objects.public().order_by("name")


def _profile_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "user__profile__profile_tags",
        queryset=ProfileTag.objects.select_related("tag"),
    )


def members_of(
    network: Network, *, search: str = "", tag: str = "", kind: str = ""
) -> QuerySet[Membership]:
    """Current members with profiles and tags in a constant number of queries."""
    qs = (
        Membership.objects.filter(network=network)
        .exclude(status__in=ENDED_STATUSES)
        .select_related("user", "user__profile")
        .prefetch_related(_profile_prefetch())
        .order_by("user__profile__display_name", "user__email")
    )
    if search:
        qs = qs.filter(
            Q(user__profile__display_name__icontains=search)
            | Q(user__profile__city__icontains=search)
        )
    if tag:
        tag_filter = Q(user__profile__profile_tags__tag__name=tag.strip().lower())
        if kind in TagKind.values:
            tag_filter &= Q(user__profile__profile_tags__kind=kind)
        qs = qs.filter(tag_filter).distinct()
    return qs


def shares_network(viewer: Any, other: User) -> bool:
    if viewer.pk == other.pk:
        return True
    mine = Membership.objects.current().filter(user=viewer).values("network_id")
    return Membership.objects.current().filter(user=other, network_id__in=mine).exists()


def network_tags(network: Network) -> list[tuple[str, int]]:
    """Tags used by current members, most common first (for the directory's filter)."""

    rows = (
        ProfileTag.objects.filter(
            profile__user__memberships__network=network,
            profile__user__memberships__status__in=[
                MembershipStatus.ACTIVE,
                MembershipStatus.PAUSED,
            ],
            kind__in=[TagKind.TALENT, TagKind.PASSION, TagKind.OFFER],
        )
        .values("tag__name")
        .annotate(n=Count("profile", distinct=True))
        .order_by("-n", "tag__name")[:40]
    )
    return [(r["tag__name"], r["n"]) for r in rows]


def profile_for(user: User) -> Profile:
    return (
        Profile.objects.select_related("user")
        .prefetch_related(
            Prefetch("profile_tags", queryset=ProfileTag.objects.select_related("tag"))
        )
        .get(user=user)
    )
