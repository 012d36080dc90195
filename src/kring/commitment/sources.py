"""Reads from the other domain apps for engagement and the health scorecard.

Each function calls the other app's public selectors (or counts its models) directly: the apps
are a fixed list, and a changed interface must fail a test, not turn into "no data".
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from kring.gatherings import selectors as gatherings_selectors
from kring.gatherings.models import Gathering
from kring.introductions import selectors as introductions_selectors
from kring.introductions.models import Participant, RoundStatus
from kring.knowledge.models import Comment, Post
from kring.ledger import selectors as ledger_selectors
from kring.networks.models import Network
from kring.people.models import User
from kring.results import selectors as results_selectors
from kring.results.models import Contribution, Objective

# --- Per-member activity --------------------------------------------------------------------


def attendance(network: Network, since: datetime) -> dict[int, dict[str, int]]:
    stats = gatherings_selectors.attendance_stats(network, since=since)
    return {
        uid: {"attended": r["attended"], "agenda_read": r["agenda_read_before"]}
        for uid, r in stats.items()
    }


def gatherings_held(network: Network, since: datetime) -> int:
    return gatherings_selectors.gatherings_summary(network, since=since)["past"]


def action_items(network: Network, since: datetime) -> dict[int, dict[str, int]]:
    stats = gatherings_selectors.action_item_stats(network, since=since)
    # "due": items done plus items open past their due date (open, not yet due: not counted)
    return {
        uid: {"due": r["done"] + r["overdue"], "on_time": r["done_on_time"]}
        for uid, r in stats.items()
    }


def introductions(network: Network, since: datetime) -> dict[int, dict[str, int]]:
    """Per member: introductions made to them in published rounds since ``since``, and how
    many of those they marked as met."""
    rows = (
        Participant.objects.filter(
            round__network=network,
            round__status=RoundStatus.PUBLISHED,
            round__published_at__gte=since,
            user__isnull=False,  # guests seated at a table plan are not members
        )
        .values("user_id")
        .annotate(total=Count("pk"), met=Count("pk", filter=Q(outcome="met")))
    )
    return {r["user_id"]: {"total": r["total"], "met": r["met"]} for r in rows}


def contributions(network: Network, since: datetime) -> dict[int, int]:
    """Contributions logged per member since ``since`` (corrections not counted)."""
    rows = (
        Contribution.objects.filter(network=network, corrects__isnull=True, date__gte=since.date())
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    return {r["member_id"]: r["n"] for r in rows}


def conversation(network: Network, since: datetime) -> dict[int, dict[str, int]]:
    """Posts and comments per author, straight from the knowledge models."""
    out: dict[int, dict[str, int]] = {}
    for r in (
        Post.objects.filter(network=network, created_at__gte=since, author__isnull=False)
        .values("author_id")
        .annotate(n=Count("pk"))
    ):
        out.setdefault(r["author_id"], {"posts": 0, "comments": 0})["posts"] = r["n"]
    for r in (
        Comment.objects.filter(post__network=network, created_at__gte=since, author__isnull=False)
        .values("author_id")
        .annotate(n=Count("pk"))
    ):
        out.setdefault(r["author_id"], {"posts": 0, "comments": 0})["comments"] = r["n"]
    return out


# --- Network-level numbers for the health scorecard -----------------------------------------


def external_effort_share(network: Network, since: datetime) -> float:
    return results_selectors.external_effort_share(network, since)


def acquaintance_coverage(network: Network) -> float:
    return float(introductions_selectors.acquaintance_coverage(network)["coverage"])


def objectives_on_track_share(network: Network) -> float:
    return results_selectors.objectives_on_track_share(network)


def intentions_stated_share(network: Network) -> float:
    return results_selectors.intentions_stated_share(network)


def gatherings_shares(network: Network, since: datetime) -> dict[str, float] | None:
    """Shares of past gatherings with a published agenda, minutes and follow-up (``None``
    when no gathering was held since ``since``)."""
    summary = gatherings_selectors.gatherings_summary(network, since=since)
    past = summary["past"]
    if past == 0:
        return None
    return {
        "agenda": summary["with_published_agenda"] / past,
        "minutes": summary["with_minutes"] / past,
        "follow_up": summary["with_action_items"] / past,
    }


def ledger_health(network: Network) -> dict[str, float | None]:
    """Cost coverage: what members put in the solidarity pot / what the pot covered (capped
    at 1; no data when the pot covered nothing). Transparency: 1 when the hosts show the
    network's costs openly (on the public page), else 0."""
    totals = ledger_selectors.pot_totals(network)
    conf = ledger_selectors.ledger_settings(network)
    coverage = min(1.0, totals.contributed / totals.covered) if totals.covered > 0 else None
    return {
        "cost_coverage": coverage,
        "transparency": 1.0 if conf.show_costs_publicly else 0.0,
    }


def objectives(network: Network) -> list[tuple[int, str]]:
    """(id, title) of the network's objectives, for the application form."""
    return [(o.pk, o.title) for o in Objective.objects.filter(network=network).order_by("pk")[:50]]


def next_gathering(network: Network, user: User) -> Gathering | None:
    return gatherings_selectors.next_gathering_for(network, user)
