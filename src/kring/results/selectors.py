"""Reads: progress with roll-up, impact figures, public selectors and health measures.

Roll-up rule: an objective's progress is its own contributions (corrections included) plus
the rolled-up progress of its children *in the same unit*; children in another unit are shown
under it but not added (hours and euros do not add up). The public view rolls up public
children only, so a members-only objective never leaks into a public number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.core.dates import MAX_PERIOD_DAYS
from kring.introductions import engine
from kring.networks.models import Membership, MembershipStatus, Network
from kring.networks.selectors import members_of

from .models import (
    Contribution,
    HelpRequest,
    Intention,
    Objective,
    Referral,
    RequestHelper,
    RequestStatus,
    Seek,
)


@dataclass
class Progress:
    objective: Objective
    own: Decimal
    total: Decimal
    depth: int = 0
    children: list[Progress] = field(default_factory=list)

    @property
    def share(self) -> float:
        target = self.objective.target
        return float(self.total / target) if target else 0.0

    @property
    def percent(self) -> int:
        return round(min(self.share, 9.99) * 100)

    @property
    def bar_percent(self) -> int:
        return min(self.percent, 100)

    def expected_share(self, today: date) -> float:
        o = self.objective
        span = (o.period_end - o.period_start).days or 1
        elapsed = min(max((today - o.period_start).days, 0), span)
        return elapsed / span

    def on_track(self, today: date) -> bool:
        return self.share >= self.expected_share(today)


def _totals(objective_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        Contribution.objects.filter(objective_id__in=objective_ids)
        .values("objective_id")
        .annotate(total=Sum("amount"))
    )
    return {r["objective_id"]: r["total"] or Decimal(0) for r in rows}


def objective_tree(network: Network, *, public_only: bool = False) -> list[Progress]:
    """Top-level objectives with nested, rolled-up progress, in two queries."""
    qs = Objective.objects.for_network(network)
    if public_only:
        qs = qs.public()
    objectives = list(qs)
    totals = _totals([o.pk for o in objectives])
    nodes = {
        o.pk: Progress(objective=o, own=totals.get(o.pk, Decimal(0)), total=Decimal(0))
        for o in objectives
    }
    roots: list[Progress] = []
    for o in objectives:
        node = nodes[o.pk]
        parent = nodes.get(o.parent_id) if o.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif o.parent_id is None or not public_only:
            roots.append(node)
        # a public child of a members-only parent is left out of the public tree

    def roll(node: Progress, depth: int) -> Decimal:
        node.depth = depth
        total = node.own
        for child in node.children:
            child_total = roll(child, depth + 1)
            if child.objective.unit == node.objective.unit and (
                child.objective.custom_unit == node.objective.custom_unit
            ):
                total += child_total
        node.total = total
        return total

    for root in roots:
        roll(root, 0)
    return roots


def flatten(tree: list[Progress]) -> list[Progress]:
    out: list[Progress] = []

    def walk(nodes: list[Progress]) -> None:
        for n in nodes:
            out.append(n)
            walk(n.children)

    walk(tree)
    return out


def progress_of(objective: Objective, *, public_only: bool = False) -> Progress:
    for node in flatten(objective_tree(objective.network, public_only=public_only)):
        if node.objective.pk == objective.pk:
            return node
    return Progress(objective=objective, own=Decimal(0), total=Decimal(0))


def _subtree_ids(objective: Objective) -> list[int]:
    ids = [objective.pk]
    frontier = [objective.pk]
    while frontier:
        frontier = list(
            Objective.objects.filter(
                parent_id__in=frontier, unit=objective.unit, custom_unit=objective.custom_unit
            ).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def progress_series(objective: Objective) -> list[tuple[date, Decimal]]:
    """Cumulative (rolled-up) progress at the end of each month of the period so far."""
    rows = (
        Contribution.objects.filter(objective_id__in=_subtree_ids(objective))
        .order_by()
        .values("date")
        .annotate(total=Sum("amount"))
        .order_by("date")
    )
    daily = [(r["date"], r["total"]) for r in rows]
    today = timezone.localdate(timezone=objective.network.tzinfo)
    end = min(objective.period_end, today)
    points: list[tuple[date, Decimal]] = []
    # At most ten years of months, whatever dates older data holds (dates are bounded now).
    first = max(objective.period_start, end - timedelta(days=MAX_PERIOD_DAYS))
    month = first.replace(day=1)
    running, i = Decimal(0), 0
    while month <= end:
        nxt = (month + timedelta(days=32)).replace(day=1)
        cutoff = min(nxt - timedelta(days=1), end)
        while i < len(daily) and daily[i][0] <= cutoff:
            running += daily[i][1]
            i += 1
        points.append((cutoff, running))
        month = nxt
    return points


def contributions_per_month(
    network: Network, *, months: int = 12, public_only: bool = False, today: date | None = None
) -> list[tuple[date, int]]:
    """Number of contributions (corrections excluded) per month, the last ``months``."""
    today = today or timezone.localdate(timezone=network.tzinfo)
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    qs = Contribution.objects.filter(network=network, corrects__isnull=True, date__gte=first)
    if public_only:
        qs = qs.filter(objective__visibility="public")
    counts = {
        r["m"].date() if isinstance(r["m"], datetime) else r["m"]: r["n"]
        for r in qs.annotate(m=TruncMonth("date")).values("m").annotate(n=Count("pk")).order_by()
    }
    out, month = [], first
    for _i in range(months):
        out.append((month, counts.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def request_counts(network: Network) -> dict[str, int]:
    rows = (
        HelpRequest.objects.filter(network=network)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {s: 0 for s in RequestStatus.values}
    counts.update({r["status"]: r["n"] for r in rows})
    counts["served"] = counts[RequestStatus.DONE]
    return counts


def beneficiaries(network: Network, *, limit: int = 20) -> list[tuple[str, int]]:
    """Who benefited: 'for whom' of contributions and the organisations of done requests."""
    names: Counter[str] = Counter()
    for value in (
        Contribution.objects.filter(network=network, corrects__isnull=True)
        .exclude(for_whom="")
        .values_list("for_whom", flat=True)
    ):
        names[value] += 1
    for name, org in HelpRequest.objects.filter(
        network=network, status=RequestStatus.DONE
    ).values_list("name", "organisation"):
        names[org or name] += 1
    return names.most_common(limit)


# --------------------------------------------------------------------------- public


def public_objectives(network: Network) -> list[Progress]:
    """Public objectives only (a flattened tree with ``depth``), rolled up over public ones."""
    return flatten(objective_tree(network, public_only=True))


def public_impact(network: Network) -> dict[str, Any]:
    """Figures for the public network page: only public objectives, counts of requests."""
    counts = request_counts(network)
    objectives = public_objectives(network)
    return {
        "objectives": objectives,
        "requests_served": counts["served"],
        "requests_in_progress": counts[RequestStatus.MATCHED] + counts[RequestStatus.IN_PROGRESS],
        "contributions_per_month": contributions_per_month(network, public_only=True),
        "contributions": Contribution.objects.filter(
            network=network, corrects__isnull=True, objective__visibility="public"
        ).count(),
    }


# --------------------------------------------------------------------------- health


def objectives_on_track_share(network: Network, *, today: date | None = None) -> float:
    """Share (0..1) of running objectives whose progress keeps pace with the period.

    On track: rolled-up progress / target ≥ elapsed part of the period. Objectives whose
    period has not started are left out; ended ones count as on track if they hit the target.
    0.0 when there is nothing to measure.
    """
    today = today or timezone.localdate(timezone=network.tzinfo)
    nodes = [n for n in flatten(objective_tree(network)) if n.objective.period_start <= today]
    if not nodes:
        return 0.0
    return sum(1 for n in nodes if n.on_track(today)) / len(nodes)


def intentions_stated_share(network: Network) -> float:
    """Share (0..1) of active members who stated an intention in this network."""
    members = Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE)
    total = members.count()
    if not total:
        return 0.0
    stated = Intention.objects.filter(
        network=network, user_id__in=members.values("user_id")
    ).count()
    return stated / total


def external_effort_share(network: Network, since: date | datetime) -> float:
    """Share (0..1) of contributions since ``since`` that served someone outside the network.

    External: the contribution is not for a member (no member beneficiary) — it was logged
    for a third party's request, or for a named outsider, or toward the goal in general.
    Counted in entries (units differ between objectives), corrections excluded.
    0.0 when nothing was logged.
    """
    day = since.date() if isinstance(since, datetime) else since
    qs = Contribution.objects.filter(network=network, corrects__isnull=True, date__gte=day)
    agg = qs.aggregate(total=Count("pk"), external=Count("pk", filter=Q(beneficiary__isnull=True)))
    return agg["external"] / agg["total"] if agg["total"] else 0.0


# --------------------------------------------------------------------------- intentions


def intention_overview(network: Network) -> dict[str, Any]:
    intentions = list(
        Intention.objects.filter(network=network)
        .select_related("user__profile")
        .order_by("user__profile__display_name")
    )
    seeks: Counter[str] = Counter()
    gives: Counter[str] = Counter()
    for i in intentions:
        seeks.update(i.seeks)
        gives.update(i.gives)
    rows = [(Seek(v).label, seeks[v], gives[v], v) for v in Seek.values]
    return {"intentions": intentions, "rows": rows, "count": len(intentions)}


def unserved_intentions(
    network: Network, *, today: datetime | None = None
) -> list[tuple[Intention, list[str]]]:
    """Intentions with a sought category nobody else gives.

    A category is served for a member when another current member gives it; "new clients or
    leads" is also served by a referral received in the last six months.
    """
    now = today or timezone.now()
    current = set(
        Membership.objects.current().filter(network=network).values_list("user_id", flat=True)
    )
    intentions = [
        i
        for i in Intention.objects.filter(network=network).select_related("user__profile")
        if i.user_id in current
    ]
    givers: dict[str, set[int]] = defaultdict(set)
    for i in intentions:
        for g in i.gives:
            givers[g].add(i.user_id)
    got_leads = set(
        Referral.objects.filter(
            network=network, created_at__gte=now - timedelta(days=182)
        ).values_list("to_user_id", flat=True)
    )
    out = []
    for i in intentions:
        missing = []
        for s in i.seeks:
            if givers[s] - {i.user_id}:
                continue
            if s == Seek.LEADS and i.user_id in got_leads:
                continue
            missing.append(str(Seek(s).label))
        if missing:
            out.append((i, missing))
    return out


# --------------------------------------------------------------------------- requests


@dataclass
class Suggestion:
    user: Any
    score: float
    reasons: list[str]


def suggestions(request: HelpRequest, *, limit: int = 8) -> list[Suggestion]:
    """Members ranked for a request, with the reasons shown.

    The request is a profile that *seeks* its topics; each member *offers* their offers and
    talents. The introductions engine's ``score`` ranks them (offers that meet seeks, with its
    reasons), passions shared with the topics add half a point. Ties break on fewer current
    helps, then on name.
    """
    wanted = {t.casefold() for t in request.tags}
    busy = Counter(
        RequestHelper.objects.filter(
            request__network=request.network,
            accepted=True,
            request__status__in=[RequestStatus.MATCHED, RequestStatus.IN_PROGRESS],
        ).values_list("user_id", flat=True)
    )
    involved = set(request.helpers.values_list("user_id", flat=True))
    out: list[Suggestion] = []
    for m in members_of(request.network):
        if m.user_id in involved or m.status != MembershipStatus.ACTIVE:
            continue
        p = m.user.profile
        offers = set(p.offer_tags) | set(p.talent_tags)
        reasons: list[str]
        s = engine.score(
            engine.Profile(
                passions=frozenset(p.passion_tags),
                talents=frozenset(p.talent_tags),
                offers=frozenset(offers),
                seeks=frozenset(),
                name=p.display_name,
            ),
            engine.Profile(
                passions=frozenset(),
                talents=frozenset(),
                offers=frozenset(),
                seeks=frozenset(request.tags),
                name=request.name,
            ),
        )
        value = s.value
        reasons = [
            _("offers %(tags)s, which the request asks for") % {"tags": ", ".join(map(str, d[3]))}  # type: ignore[call-overload]
            for d in s.details
            if d[0] == "offers"
        ]
        shared = sorted(t for t in p.passion_tags if t.casefold() in wanted)
        if shared:
            value += 0.5 * len(shared)
            reasons.append(_("is passionate about %(tags)s") % {"tags": ", ".join(shared)})
        if value <= 0:
            continue
        if busy[m.user_id]:
            reasons.append(_("already helps with %(n)s request(s)") % {"n": busy[m.user_id]})
        out.append(Suggestion(user=m.user, score=value, reasons=reasons))
    out.sort(key=lambda s: (-s.score, busy[s.user.pk], s.user.profile.display_name, s.user.pk))
    return out[:limit]
