"""Guarded reads from the other domain apps, which are optional.

Every function returns ``None`` when its app (or the selector it needs) is not there, so the
engagement formula and the health scorecard treat that part as "no data" and the page says so.
Imports are lazy: this app must load without the others.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kring.networks.models import Network

logger = logging.getLogger(__name__)


def _selector(app: str, name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module(f"kring.{app}.selectors")
    except ImportError:
        return None
    fn = getattr(module, name, None)
    return fn if callable(fn) else None


def _call(app: str, name: str, *args: Any, **kwargs: Any) -> Any:
    fn = _selector(app, name)
    if fn is None:
        return None
    try:
        return fn(*args, **kwargs)
    except (TypeError, AttributeError, LookupError):  # a signature we do not know (yet)
        logger.warning("commitment: %s.%s could not be used", app, name, exc_info=True)
        return None


def _model(app: str, name: str) -> Any:
    try:
        module = importlib.import_module(f"kring.{app}.models")
    except ImportError:
        return None
    return getattr(module, name, None)


def _num(row: Any, *names: str) -> int:
    for n in names:
        value = row.get(n) if isinstance(row, dict) else getattr(row, n, None)
        if value is not None:
            return int(value)
    return 0


def _share(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("coverage", value.get("share"))
    if value is None:
        return None
    value = float(value)
    return value / 100 if value > 1 else value


# --- Per-member activity --------------------------------------------------------------------


def attendance(network: Network, since: datetime) -> dict[int, dict[str, int]] | None:
    stats = _call("gatherings", "attendance_stats", network, since=since)
    if stats is None:
        return None
    return {
        uid: {
            "attended": _num(r, "attended"),
            "agenda_read": _num(r, "agenda_read_before", "agenda_read"),
        }
        for uid, r in stats.items()
    }


def gatherings_held(network: Network, since: datetime) -> int | None:
    summary = _call("gatherings", "gatherings_summary", network, since=since)
    if summary is None:
        return None
    return _num(summary, "past", "held", "total")


def action_items(network: Network, since: datetime) -> dict[int, dict[str, int]] | None:
    stats = _call("gatherings", "action_item_stats", network, since=since)
    if stats is None:
        return None
    # "due": items done plus items open past their due date (open, not yet due: not counted)
    return {
        uid: {"due": _num(r, "done") + _num(r, "overdue"), "on_time": _num(r, "done_on_time")}
        for uid, r in stats.items()
    }


def introductions(network: Network, since: datetime) -> dict[int, dict[str, int]] | None:
    """Per member: introductions made to them in published rounds since ``since``, and how
    many of those they marked as met."""
    participant = _model("introductions", "Participant")
    if participant is None:
        return None
    from django.db.models import Count, Q

    rows = (
        participant.objects.filter(
            round__network=network, round__status="published", round__published_at__gte=since
        )
        .values("user_id")
        .annotate(total=Count("pk"), met=Count("pk", filter=Q(outcome="met")))
    )
    return {r["user_id"]: {"total": r["total"], "met": r["met"]} for r in rows}


def contributions(network: Network, since: datetime) -> dict[int, int] | None:
    """Contributions logged per member since ``since`` (corrections not counted)."""
    contribution = _model("results", "Contribution")
    if contribution is None:
        return None
    from django.db.models import Count

    rows = (
        contribution.objects.filter(network=network, corrects__isnull=True, date__gte=since.date())
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    return {r["member_id"]: r["n"] for r in rows}


def conversation(network: Network, since: datetime) -> dict[int, dict[str, int]] | None:
    """Posts and comments per author, straight from the knowledge models."""
    post_model, comment_model = _model("knowledge", "Post"), _model("knowledge", "Comment")
    if post_model is None or comment_model is None:
        return None
    from django.db.models import Count

    out: dict[int, dict[str, int]] = {}
    for r in (
        post_model.objects.filter(network=network, created_at__gte=since, author__isnull=False)
        .values("author_id")
        .annotate(n=Count("pk"))
    ):
        out.setdefault(r["author_id"], {"posts": 0, "comments": 0})["posts"] = r["n"]
    for r in (
        comment_model.objects.filter(
            post__network=network, created_at__gte=since, author__isnull=False
        )
        .values("author_id")
        .annotate(n=Count("pk"))
    ):
        out.setdefault(r["author_id"], {"posts": 0, "comments": 0})["comments"] = r["n"]
    return out


# --- Network-level numbers for the health scorecard -----------------------------------------


def external_effort_share(network: Network, since: datetime) -> float | None:
    return _share(_call("results", "external_effort_share", network, since))


def acquaintance_coverage(network: Network) -> float | None:
    return _share(_call("introductions", "acquaintance_coverage", network))


def objectives_on_track_share(network: Network) -> float | None:
    return _share(_call("results", "objectives_on_track_share", network))


def intentions_stated_share(network: Network) -> float | None:
    return _share(_call("results", "intentions_stated_share", network))


def gatherings_shares(network: Network, since: datetime) -> dict[str, float] | None:
    summary = _call("gatherings", "gatherings_summary", network, since=since)
    if summary is None:
        return None
    past = _num(summary, "past")
    if past == 0:
        return None
    return {
        "agenda": _num(summary, "with_published_agenda") / past,
        "minutes": _num(summary, "with_minutes") / past,
        "follow_up": _num(summary, "with_action_items") / past,
    }


def ledger_health(network: Network) -> dict[str, float | None] | None:
    """Cost coverage: what members put in the solidarity pot / what the pot covered (capped
    at 1; no data when the pot covered nothing). Transparency: 1 when the hosts show the
    network's costs openly (on the public page), else 0."""
    totals = _call("ledger", "pot_totals", network)
    conf = _call("ledger", "ledger_settings", network)
    if totals is None and conf is None:
        return None
    coverage = None
    covered = getattr(totals, "covered", 0) or 0
    if covered > 0:
        coverage = min(1.0, (getattr(totals, "contributed", 0) or 0) / covered)
    transparency = None
    if conf is not None and hasattr(conf, "show_costs_publicly"):
        transparency = 1.0 if conf.show_costs_publicly else 0.0
    return {"cost_coverage": coverage, "transparency": transparency}


def objectives(network: Network) -> list[tuple[int, str]] | None:
    """(id, title) of the network's open objectives, for the application form."""
    model = _model("results", "Objective")
    if model is None:
        return None
    try:
        qs = model.objects.filter(network=network)
        return [(o.pk, str(getattr(o, "title", o))) for o in qs.order_by("pk")[:50]]
    except Exception:
        logger.warning("commitment: objectives could not be read", exc_info=True)
        return None


def next_gathering(network: Network, user: Any) -> Any:
    return _call("gatherings", "next_gathering_for", network, user)


#: The sources behind each engagement part, for the "no data" note on the page.
SOURCE_APPS = {
    "attendance": "gatherings",
    "agenda": "gatherings",
    "actions": "gatherings",
    "introductions": "introductions",
    "contributions": "results",
    "conversation": "knowledge",
}
