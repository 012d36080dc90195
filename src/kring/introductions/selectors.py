"""Reads: introductions, profiles for the engine, and who has met whom (acquaintance)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kring.gatherings.models import Gathering, Rsvp
from kring.gatherings.selectors import (
    checked_in_user_ids,
    gathering_for,
    going_guest_ids,
    going_user_ids,
)
from kring.networks.models import Membership, MembershipStatus, Network
from kring.people.models import ProfileTag, TagKind, User

from . import matching
from .models import (
    Block,
    Introduction,
    KnewAlready,
    MemberPreference,
    Outcome,
    Participant,
    Round,
    RoundKind,
    RoundStatus,
)

Pair = frozenset[int]


def active_member_ids(network: Network) -> list[int]:
    return list(
        Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def eligible_member_ids(network: Network) -> list[int]:
    """Active members who have not paused introductions or opted out of the next round."""
    out = set(
        MemberPreference.objects.filter(network=network)
        .filter(skip_next=True)
        .values_list("user_id", flat=True)
    )
    out |= set(
        MemberPreference.objects.filter(network=network, paused=True).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in active_member_ids(network) if u not in out]


def engine_profiles(user_ids: list[int]) -> dict[int, Any]:
    tags: dict[int, dict[str, list[str]]] = {u: defaultdict(list) for u in user_ids}
    rows = ProfileTag.objects.filter(profile__user_id__in=user_ids).values_list(
        "profile__user_id", "kind", "tag__name"
    )
    for uid, kind, name in rows:
        if kind in TagKind.values:
            tags[uid][kind].append(name)
    return {u: matching.make_profile(u, tags[u]) for u in user_ids}


def blocked_pairs(network: Network) -> set[Pair]:
    return {
        frozenset(p)
        for p in Block.objects.filter(network=network).values_list("blocker_id", "blocked_id")
    }


def _pairs_of(groups: dict[int, list[int]]) -> set[Pair]:
    out: set[Pair] = set()
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a != b:
                    out.add(frozenset((a, b)))
    return out


def acquaintance_sources(network: Network) -> dict[str, set[Pair]]:
    """Pairs who met, by source: "introductions", "tables", "knew"."""
    met_intro = set(
        Participant.objects.filter(
            round__network=network,
            round__status=RoundStatus.PUBLISHED,
            round__kind=RoundKind.PAIRS,
            outcome=Outcome.MET,
        ).values_list("introduction_id", flat=True)
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for intro_id, uid in Participant.objects.filter(introduction_id__in=met_intro).values_list(
        "introduction_id", "user_id"
    ):
        groups[intro_id].append(uid)
    intro_pairs = _pairs_of(groups)

    table_pairs: set[Pair] = set()
    table_rounds = list(
        Round.objects.filter(
            network=network,
            kind=RoundKind.TABLES,
            status=RoundStatus.PUBLISHED,
            gathering_id__isnull=False,
        ).values_list("pk", "gathering_id")
    )
    if table_rounds:
        checked_in = _checked_in_by_gathering(
            network, {g for _r, g in table_rounds if g is not None}
        )
        tables: dict[int, list[int]] = defaultdict(list)
        round_gathering = dict(table_rounds)
        for intro_id, uid, round_id in Participant.objects.filter(
            round_id__in=round_gathering, user__isnull=False
        ).values_list("introduction_id", "user_id", "round_id"):
            gathering_id = round_gathering[round_id]
            if gathering_id is not None and uid in checked_in.get(gathering_id, set()):
                tables[intro_id].append(uid)
        table_pairs = _pairs_of(tables)

    knew = {
        frozenset(p)
        for p in KnewAlready.objects.filter(network=network).values_list("user_a_id", "user_b_id")
    }
    return {"introductions": intro_pairs, "tables": table_pairs, "knew": knew}


def _checked_in_by_gathering(network: Network, gathering_ids: set[int]) -> dict[int, set[int]]:
    out = {}
    for g in Gathering.objects.filter(pk__in=gathering_ids, network=network):
        out[g.pk] = set(checked_in_user_ids(g))
    return out


def met_pairs(network: Network) -> set[Pair]:
    sources = acquaintance_sources(network)
    return sources["introductions"] | sources["tables"] | sources["knew"]


def last_met_order(network: Network) -> dict[Pair, int]:
    """For pairs introduced before: a rank, higher = more recent (for repeat tie-breaks)."""
    groups: dict[int, list[int]] = defaultdict(list)
    round_rank: dict[int, int] = {}
    intro_rank: dict[int, int] = {}
    for intro_id, uid, round_id in (
        Participant.objects.filter(
            round__network=network, round__status=RoundStatus.PUBLISHED, user__isnull=False
        )
        .order_by("round__published_at", "round_id")
        .values_list("introduction_id", "user_id", "round_id")
    ):
        groups[intro_id].append(uid)
        round_rank.setdefault(round_id, len(round_rank) + 1)
        intro_rank[intro_id] = round_rank[round_id]
    order: dict[Pair, int] = {}
    for intro_id, members in groups.items():
        for p in _pairs_of({intro_id: members}):
            order[p] = max(order.get(p, 0), intro_rank[intro_id])
    return order


def acquaintance_coverage(network: Network) -> dict[str, Any]:
    """Share of current active member pairs who have met: {"pairs_met", "pairs_total",
    "coverage"}."""
    members = set(active_member_ids(network))
    n = len(members)
    total = n * (n - 1) // 2
    met = sum(1 for p in met_pairs(network) if p <= members)
    return {"pairs_met": met, "pairs_total": total, "coverage": (met / total) if total else 0.0}


def acquaintance_summary(network: Network) -> dict[str, Any]:
    members = active_member_ids(network)
    member_set = set(members)
    n = len(members)
    sources = acquaintance_sources(network)
    all_pairs = {p for s in sources.values() for p in s if p <= member_set}
    total = n * (n - 1) // 2
    met_rate = introduction_met_rate(network)
    per_round = (n // 2) * met_rate
    remaining = total - len(all_pairs)
    rounds_left = 0 if remaining <= 0 else (math.ceil(remaining / per_round) if per_round else None)
    return {
        "pairs_met": len(all_pairs),
        "pairs_total": total,
        "coverage": (len(all_pairs) / total) if total else 0.0,
        "by_source": {k: len({p for p in v if p <= member_set}) for k, v in sources.items()},
        "met_rate": met_rate,
        "rounds_to_everyone": rounds_left,
        "members": n,
        "pairs": all_pairs,
        "member_ids": members,
    }


def introduction_met_rate(network: Network) -> float:
    """Share of pair introductions of published rounds that were marked met (1.0 when none)."""
    intros = Introduction.objects.filter(
        round__network=network, round__kind=RoundKind.PAIRS, round__status=RoundStatus.PUBLISHED
    )
    total = intros.count()
    if not total:
        return 1.0
    met = intros.filter(participants__outcome=Outcome.MET).distinct().count()
    return met / total


def coverage_history(network: Network) -> list[dict[str, Any]]:
    """Coverage after each published pairs round (introductions only plus self-reports)."""
    members = set(active_member_ids(network))
    n = len(members)
    total = n * (n - 1) // 2
    seen: set[Pair] = {p for p in acquaintance_sources(network)["knew"] if p <= members}
    out = []
    rounds = Round.objects.filter(
        network=network, kind=RoundKind.PAIRS, status=RoundStatus.PUBLISHED
    ).order_by("published_at", "pk")
    groups_by_round: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for rid, iid, uid in (
        Participant.objects.filter(
            round__in=rounds, introduction__participants__outcome=Outcome.MET
        )
        .distinct()
        .values_list("round_id", "introduction_id", "user_id")
    ):
        groups_by_round[rid][iid].append(uid)
    for r in rounds:
        seen |= {p for p in _pairs_of(groups_by_round.get(r.pk, {})) if p <= members}
        out.append(
            {
                "round": r,
                "coverage": (len(seen) / total) if total else 0.0,
                "percent": round(100 * len(seen) / total) if total else 0,
            }
        )
    return out


def rounds_of(network: Network, *, include_drafts: bool) -> QuerySet[Round]:
    qs = Round.objects.filter(network=network)
    if not include_drafts:
        qs = qs.filter(status=RoundStatus.PUBLISHED)
    return qs


def member_names(participants: Iterable[Participant]) -> dict[int, str]:
    """Display names of the members among ``participants``, by user id (the engine's reasons
    are about members; guests at a table have none)."""
    return {p.user.pk: p.user.display_name for p in participants if p.user is not None}


def not_seated(round_: Round) -> list[tuple[str, str]]:
    """People coming to a table plan's gathering without a seat in it (walk-ins added at the
    door after the plan was made, late guests and members), as ("guest:<id>" or
    "member:<id>", label) choices: guests first, then members, by name."""
    gathering = gathering_for(round_.network, round_.gathering_id) if round_.gathering_id else None
    if round_.kind != RoundKind.TABLES or gathering is None:
        return []
    seats = Participant.objects.filter(round=round_)
    guests = (
        Rsvp.objects.filter(pk__in=going_guest_ids(gathering))
        .exclude(pk__in=seats.filter(guest__isnull=False).values("guest_id"))
        .order_by("guest_name", "pk")
    )
    active = set(active_member_ids(round_.network))
    seated = set(seats.filter(user__isnull=False).values_list("user_id", flat=True))
    members = (
        User.objects.filter(pk__in=[u for u in going_user_ids(gathering) if u in active])
        .exclude(pk__in=seated)
        .select_related("profile")
    )
    walk_in, guest = _("walk-in"), _("guest")
    return [
        (f"guest:{r.pk}", f"{r.guest_name} ({walk_in if r.walk_in else guest})") for r in guests
    ] + sorted(
        ((f"member:{u.pk}", u.display_name) for u in members), key=lambda kv: kv[1].casefold()
    )


def round_groups(round_: Round) -> list[Introduction]:
    """The round's groups with their seats (members and, at tables, guests) in order."""
    return list(
        round_.introductions.prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user__profile", "guest").order_by(
                    "pk"
                ),
            )
        )
    )


def _my_introductions(network: Network, user: Any) -> QuerySet[Introduction]:
    ids = Participant.objects.filter(
        user=user,
        round__network=network,
        round__status=RoundStatus.PUBLISHED,
        round__kind=RoundKind.PAIRS,
    ).values("introduction_id")
    return (
        Introduction.objects.filter(pk__in=ids)
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user__profile").order_by("pk"),
            )
        )
        .order_by("-round__published_at", "-pk")
    )


def my_introductions(network: Network, user: Any) -> list[Introduction]:
    """The viewer's introductions in published pair rounds, newest first."""
    return list(_my_introductions(network, user))


def current_introduction(network: Network, user: Any) -> Introduction | None:
    """The newest of ``my_introductions`` (the home panel's): only that one is fetched."""
    return _my_introductions(network, user).first()


def preference(network: Network, user: Any) -> MemberPreference | None:
    return MemberPreference.objects.filter(network=network, user=user).first()


def my_blocks(network: Network, user: Any) -> QuerySet[Block]:
    return Block.objects.filter(network=network, blocker=user).select_related("blocked__profile")
