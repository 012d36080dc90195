"""Reads: the charter and its versions, engagement, the growth funnel and the scorecard."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from kring.gatherings.models import Rsvp
from kring.networks.models import Membership, MembershipStatus, Network
from kring.public.followers import follower_counts

from . import engagement, health, sources
from .models import (
    SPONTANEOUS,
    Application,
    ApplicationStatus,
    CharterVersion,
    CommitmentSettings,
    DeletedApplicationTally,
    EngagementSnapshot,
)


def settings_for(network: Network) -> CommitmentSettings:
    obj, _created = CommitmentSettings.objects.get_or_create(network=network)
    return obj


# --- Charter ---------------------------------------------------------------------------------


def latest_charter(network: Network) -> CharterVersion | None:
    return CharterVersion.objects.filter(network=network).select_related("author").first()


def charter_versions(network: Network) -> list[CharterVersion]:
    return list(CharterVersion.objects.filter(network=network).select_related("author__profile"))


def needs_reacceptance(membership: Membership, latest: CharterVersion | None = None) -> bool:
    """A member must accept again when the latest version was published after they accepted."""
    latest = latest if latest is not None else latest_charter(membership.network)
    if latest is None:
        return False
    accepted = membership.charter_accepted_at
    return accepted is None or accepted < latest.published_at


def accepted_version(membership: Membership) -> CharterVersion | None:
    """The newest version published at or before the member's acceptance."""
    if membership.charter_accepted_at is None:
        return None
    return CharterVersion.objects.filter(
        network=membership.network, published_at__lte=membership.charter_accepted_at
    ).first()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same" | "added" | "removed"
    text: str


def charter_diff(old: str, new: str) -> list[DiffLine]:
    """A line diff (difflib) of two charter texts, for "what changed"."""
    out: list[DiffLine] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "+ ":
            out.append(DiffLine("added", text))
        elif tag == "- ":
            out.append(DiffLine("removed", text))
        elif tag == "  ":
            out.append(DiffLine("same", text))
    return out


# --- Engagement ------------------------------------------------------------------------------


@dataclass
class MemberEngagement:
    membership: Membership
    activity: engagement.Activity
    result: engagement.Score

    @property
    def score(self) -> int | None:
        return self.result.score


def network_activity(
    network: Network, *, since: datetime, memberships: list[Membership]
) -> dict[int, engagement.Activity]:
    """Gather each member's activity since ``since`` from the other apps."""
    att = sources.attendance(network, since)
    actions = sources.action_items(network, since)
    intros = sources.introductions(network, since)
    contrib = sources.contributions(network, since)
    talk = sources.conversation(network, since)
    held_cache: dict[date, int] = {}
    out: dict[int, engagement.Activity] = {}
    for m in memberships:
        start = max(since, m.joined_at)
        key = start.date()
        if key not in held_cache:
            held_cache[key] = sources.gatherings_held(network, start)
        uid = m.user_id
        a = engagement.Activity(
            gatherings_held=held_cache[key],
            gatherings_attended=att.get(uid, {}).get("attended", 0),
            agendas_read=att.get(uid, {}).get("agenda_read", 0),
            actions_due=actions.get(uid, {}).get("due", 0),
            actions_on_time=actions.get(uid, {}).get("on_time", 0),
            introductions=intros.get(uid, {}).get("total", 0),
            introductions_met=intros.get(uid, {}).get("met", 0),
            contributions=contrib.get(uid, 0),
            posts=talk.get(uid, {}).get("posts", 0),
            comments=talk.get(uid, {}).get("comments", 0),
        )
        out[uid] = a
    return out


def engagement_of(
    network: Network, *, now: datetime | None = None, user_id: int | None = None
) -> list[MemberEngagement]:
    """Engagement of the current (active and paused) members, or of one member."""
    now = now or timezone.now()
    since = now - timedelta(days=engagement.PERIOD_DAYS)
    qs = Membership.objects.current().filter(network=network).select_related("user__profile")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    memberships = list(qs.order_by("user__profile__display_name"))
    activity = network_activity(network, since=since, memberships=memberships)
    return [
        MemberEngagement(m, activity[m.user_id], engagement.score(activity[m.user_id]))
        for m in memberships
    ]


def month_start(d: date) -> date:
    return d.replace(day=1)


def trend(network: Network, *, months: int = 6, user_id: int | None = None) -> list[dict[str, Any]]:
    """Median engagement per month from the monthly snapshots (oldest first)."""
    qs = EngagementSnapshot.objects.filter(network=network, score__isnull=False)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    by_month: dict[date, list[int]] = {}
    for month, score in qs.order_by("month").values_list("month", "score"):
        if score is not None:  # filtered above; the column is nullable
            by_month.setdefault(month, []).append(score)
    rows = [
        {"month": m, "median": engagement.median(v), "count": len(v)}
        for m, v in sorted(by_month.items())
    ]
    return rows[-months:]


def needs_a_call(rows: list[MemberEngagement], threshold: int) -> list[MemberEngagement]:
    return [
        r
        for r in rows
        if r.score is not None
        and r.score < threshold
        and r.membership.status == MembershipStatus.ACTIVE
    ]


# --- Growth funnel ---------------------------------------------------------------------------


def _months_back(today: date, n: int) -> list[date]:
    first = month_start(today)
    months = []
    for _ in range(n):
        months.append(first)
        first = month_start(first - timedelta(days=1))
    return list(reversed(months))


def funnel(network: Network, *, now: datetime | None = None, months: int = 12) -> dict[str, Any]:
    """Applications per month (confirmed e-mail only), spontaneous share, acceptance rate and
    the share of accepted applicants still active six months later.

    Declined applications are deleted after 28 days; their counts live on in
    ``DeletedApplicationTally`` so the funnel stays honest.
    """
    now = now or timezone.now()
    month_list = _months_back(timezone.localdate(now, network.tzinfo), months)
    start = datetime.combine(month_list[0], datetime.min.time(), tzinfo=network.tzinfo)
    rows: dict[date, dict[str, Any]] = {
        m: {"month": m, "total": 0, "spontaneous": 0, "accepted": 0, "declined": 0}
        for m in month_list
    }
    apps = (
        Application.objects.filter(network=network, created_at__gte=start)
        .exclude(status=ApplicationStatus.UNVERIFIED)
        .values_list("created_at", "heard_via", "status")
    )
    for created, heard, status in apps:
        row = rows.get(month_start(timezone.localdate(created, network.tzinfo)))
        if row is None:
            continue
        row["total"] += 1
        row["spontaneous"] += heard in SPONTANEOUS
        row["accepted"] += status == ApplicationStatus.ACCEPTED
        row["declined"] += status == ApplicationStatus.DECLINED
    for t in DeletedApplicationTally.objects.filter(network=network, month__gte=month_list[0]):
        row = rows.get(t.month)
        if row is None:
            continue
        row["total"] += t.count
        row["declined"] += t.count
        row["spontaneous"] += t.count if t.heard_via in SPONTANEOUS else 0
    series = [rows[m] for m in month_list]
    total = sum(r["total"] for r in series)
    spontaneous = sum(r["spontaneous"] for r in series)
    decided = sum(r["accepted"] + r["declined"] for r in series)
    accepted = sum(r["accepted"] for r in series)
    six_months_ago = now - timedelta(days=183)
    old_accepts = list(
        Application.objects.filter(
            network=network,
            status=ApplicationStatus.ACCEPTED,
            decided_at__lte=six_months_ago,
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )
    still_active = Membership.objects.filter(
        network=network, user_id__in=old_accepts, status=MembershipStatus.ACTIVE
    ).count()
    reach = outside_reach(network, since=now - timedelta(days=365))
    return {
        **reach,
        "series": series,
        "total": total,
        "spontaneous_share": spontaneous / total if total else None,
        "acceptance_rate": accepted / decided if decided else None,
        "retained_share": still_active / len(old_accepts) if old_accepts else None,
        "retained_base": len(old_accepts),
        "max": max([r["total"] for r in series] + [1]),
    }


def outside_reach(network: Network, *, since: datetime) -> dict[str, int]:
    """The top of the funnel: people who follow by e-mail, and guests who came (and came
    back) in the period — before anyone applies."""
    counts = follower_counts(network)
    visits: dict[str, int] = {}
    for email in (
        Rsvp.objects.filter(
            gathering__network=network,
            gathering__starts_at__gte=since,
            user__isnull=True,
            checked_in_at__isnull=False,
        )
        .exclude(guest_email="")
        .values_list("guest_email", flat=True)
    ):
        visits[email] = visits.get(email, 0) + 1
    return {
        "followers": counts["active"],
        "followers_pending": counts["pending"],
        "guests_came": len(visits),
        "guests_returned": sum(1 for n in visits.values() if n > 1),
    }


def funnel_chart(data: dict[str, Any], *, width: int = 640, height: int = 220) -> dict[str, Any]:
    """Coordinates for a server-side SVG bar chart (all applications, spontaneous part)."""
    series = data["series"]
    pad_l, pad_b, pad_t = 32, 28, 12
    inner_w, inner_h = width - pad_l - 8, height - pad_b - pad_t
    step = inner_w / max(len(series), 1)
    bar_w = step * 0.7
    top = data["max"]
    bars = []
    for i, r in enumerate(series):
        h_total = inner_h * r["total"] / top
        h_spont = inner_h * r["spontaneous"] / top
        x = pad_l + i * step + (step - bar_w) / 2
        bars.append(
            {
                "x": round(x, 1),
                "w": round(bar_w, 1),
                "y_total": round(pad_t + inner_h - h_total, 1),
                "h_total": round(h_total, 1),
                "y_spont": round(pad_t + inner_h - h_spont, 1),
                "h_spont": round(h_spont, 1),
                "label_x": round(x + bar_w / 2, 1),
                "row": r,
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "base_y": pad_t + inner_h,
        "label_y": height - 8,
        "top": top,
        "top_y": pad_t + 4,
        "axis_x": pad_l - 4,
    }


# --- Health ----------------------------------------------------------------------------------


def health_inputs(network: Network, *, now: datetime | None = None) -> health.HealthInputs:
    """The thin data-gathering layer behind the pure scorecard."""
    now = now or timezone.now()
    year_ago = now - timedelta(days=365)
    rows = engagement_of(network, now=now)
    scores = [r.score for r in rows if r.score is not None]
    attended = sum(r.activity.gatherings_attended or 0 for r in rows)
    read = sum(r.activity.agendas_read or 0 for r in rows)
    shares = sources.gatherings_shares(network, year_ago) or {}
    ledger = sources.ledger_health(network)
    growth = funnel(network, now=now)
    median = engagement.median(scores)

    def known(value: float | None, app: str, model: str) -> float | None:
        """A share over nothing is "not enough data yet", not 0 (a new network is not bad)."""
        if value is None or value > 0:
            return value
        has_rows = apps.get_model(app, model).objects.filter(network=network).exists()
        return value if has_rows else None

    held = (sources.gatherings_held(network, year_ago) or 0) > 0
    return health.HealthInputs(
        external_effort_share=known(
            sources.external_effort_share(network, year_ago), "results", "Contribution"
        ),
        acquaintance_coverage=known(
            sources.acquaintance_coverage(network), "introductions", "Round"
        ),
        objectives_on_track_share=known(
            sources.objectives_on_track_share(network), "results", "Objective"
        ),
        intentions_stated_share=known(
            sources.intentions_stated_share(network), "results", "Intention"
        ),
        agenda_share=shares.get("agenda"),
        minutes_share=shares.get("minutes"),
        follow_up_share=shares.get("follow_up"),
        median_engagement=median if held else None,
        agenda_read_rate=(read / attended) if attended else None,
        cost_coverage=ledger.get("cost_coverage"),
        ledger_transparency=known(ledger.get("transparency"), "ledger", "Expense"),
        spontaneous_share=growth["spontaneous_share"],
    )


def network_health(network: Network, *, now: datetime | None = None) -> list[health.Condition]:
    return health.scorecard(health_inputs(network, now=now))


PUBLIC_HEALTH_SECONDS = 3600


def public_health(network: Network) -> dict[str, Any] | None:
    """For the public page: the scorecard if the hosts published it, else ``None``.

    ``{"overall": int | None, "conditions": [{"key", "name", "score"}]}``.
    """
    if not CommitmentSettings.objects.filter(network=network, publish_health=True).exists():
        return None
    # The inputs are a year's aggregates (tens of milliseconds of queries): computed at most
    # once an hour per network for the public page; the pure scorecard, with its translated
    # names, per request. The hosts' own health page always computes them afresh.
    key = f"commitment:public-health-inputs:{network.pk}"
    inputs = cache.get(key)
    if not isinstance(inputs, health.HealthInputs):
        inputs = health_inputs(network)
        cache.set(key, inputs, PUBLIC_HEALTH_SECONDS)
    conditions = health.scorecard(inputs)
    return {
        "overall": health.overall(conditions),
        "conditions": [{"key": c.key, "name": c.name, "score": c.score} for c in conditions],
    }


def applications_for(network: Network, *, status: str = "") -> Any:
    qs = (
        Application.objects.filter(network=network)
        .exclude(status=ApplicationStatus.UNVERIFIED)
        .annotate(advice_count=Count("advice"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def application_counts(network: Network) -> dict[str, int]:
    return Application.objects.filter(network=network).aggregate(
        pending=Count("pk", filter=Q(status=ApplicationStatus.PENDING)),
        waitlisted=Count("pk", filter=Q(status=ApplicationStatus.WAITLISTED)),
    )


def member_count(network: Network) -> int:
    return Membership.objects.current().filter(network=network).count()
