"""What ``kring serve`` renders signed in before it reports ready (``kring.core.warm``)."""

from __future__ import annotations

import contextlib

from django.urls import NoReverseMatch, reverse

from kring.core.models import AuditEntry
from kring.core.registry import nav_items
from kring.core.warm import WarmVisit

from .models import Membership, MembershipStatus, Network, Role

NAV_SLOTS = ("tab", "more", "top")  # what a member (not a host) reaches from the navigation


def member_visits() -> list[WarmVisit]:
    """A member of the most recently active network (its newest audit entry; else the most
    recently changed network) and the pages members open: the public page as they see it (if
    the network has one),
    every navigation entry a member has, and another member's profile."""
    network_id = (
        AuditEntry.objects.filter(network__isnull=False)
        .values_list("network_id", flat=True)
        .first()
        or Network.objects.order_by("-updated_at").values_list("pk", flat=True).first()
    )
    if network_id is None:
        return []
    active = Membership.objects.filter(
        network_id=network_id, status=MembershipStatus.ACTIVE, user__is_active=True
    ).select_related("user", "network")
    member = (
        active.filter(role=Role.MEMBER).order_by("-joined_at").first()
        or active.order_by("-joined_at").first()
    )
    if member is None:
        return []
    slug = member.network.slug
    paths = [e["url"] for e in nav_items(slug, is_host=member.is_host) if e["slot"] in NAV_SLOTS]
    if member.network.public_page_enabled:
        with contextlib.suppress(NoReverseMatch):  # the public page, as a member sees it
            paths.insert(0, reverse("public:network", kwargs={"slug": slug}))
    other = active.exclude(pk=member.pk).values_list("user_id", flat=True).first()
    if other is not None:
        paths.append(reverse("net:person", kwargs={"slug": slug, "user_id": other}))
    return [WarmVisit(member.user, paths)]
