from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.conversations import selectors as conversations
from kring.core.errors import DomainError
from kring.core.pagecache import cached_page
from kring.core.views_helpers import use_case
from kring.gatherings.models import Gathering
from kring.networks.access import access_network
from kring.networks.models import Membership
from kring.people.auth import AuthedRequest

from . import graph, reasons, selectors, services
from .forms import (
    OutcomeForm,
    PersonForm,
    PreferenceForm,
    ProposeForm,
    ScheduleForm,
    SeatForm,
    SwapForm,
    TablesForm,
)
from .models import Introduction, IntroductionSettings, Round, RoundKind, RoundStatus


def _people(network: Any, *, exclude: int | None = None) -> list[tuple[int, str]]:
    members = Membership.objects.current().filter(network=network)
    if exclude is not None:
        members = members.exclude(user_id=exclude)
    rows = members.values_list("user_id", "user__profile__display_name").order_by(
        "user__profile__display_name"
    )
    return [(uid, name or "?") for uid, name in rows]


def _person_options(network: Any, *, exclude: int) -> SafeString:
    """The ``<option>``s of the two person pickers (``PersonForm``'s choices: everyone in the
    network but the viewer), built here once rather than by a template loop twice per member."""
    choices = [("", "—"), *_people(network, exclude=exclude)]
    return format_html_join("", '<option value="{}">{}</option>', choices)


def _intro_view(intro: Introduction, viewer_id: int) -> dict[str, Any]:
    participants = list(intro.participants.all())
    names = selectors.member_names(participants)
    return {
        "intro": intro,
        "others": [p for p in participants if p.user_id != viewer_id],
        "mine": next((p for p in participants if p.user_id == viewer_id), None),
        "reasons": reasons.for_group(intro.details, names=names, viewer_id=viewer_id),
        "met": any(p.outcome == "met" for p in participants),
        "trio": len(participants) > 2,
    }


def _gatherings(network: Any) -> list[tuple[int, str]]:
    """The network's gatherings for the table-plan form, newest first, each with its date."""
    out = []
    for g in Gathering.objects.filter(network=network).order_by("-starts_at", "-pk")[:50]:
        when = date_format(timezone.localtime(g.starts_at, g.tz), "SHORT_DATE_FORMAT")
        out.append((g.pk, f"{when} · {g.title}"))
    return out


@login_required
@cached_page
def index(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    mine = selectors.my_introductions(acc.network, request.user)
    pref = selectors.preference(acc.network, request.user)
    current = _intro_view(mine[0], request.user.pk) if mine else None
    if current is not None:
        talks = conversations.conversations_with(
            request.user, [p.user_id for p in current["others"]], network=acc.network
        )
        current["conversations"] = [
            {"person": p.user, "conversation": talks[p.user_id]}
            for p in current["others"]
            if p.user_id in talks
        ]
    return render(
        request,
        "introductions/index.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "current": current,
            "past": [_intro_view(i, request.user.pk) for i in mine[1:]],
            "propose_form": ProposeForm(
                initial={"when": mine[0].proposed_when, "where": mine[0].proposed_where}
                if mine
                else None
            ),
            "outcome_form": OutcomeForm(
                initial={"outcome": current["mine"].outcome, "note": current["mine"].note}
                if current and current["mine"]
                else None
            ),
            "pref_form": PreferenceForm(
                initial={"skip_next": pref.skip_next, "paused": pref.paused} if pref else None
            ),
            "person_options": _person_options(acc.network, exclude=request.user.pk),
            "blocks": selectors.my_blocks(acc.network, request.user),
        },
    )


def _intro_for(request: HttpRequest, slug: str, intro_id: int) -> tuple[Any, Introduction]:
    acc = access_network(request.user, slug)
    intro = get_object_or_404(
        Introduction.objects.select_related("round__network"),
        pk=intro_id,
        round__network=acc.network,
        round__status=RoundStatus.PUBLISHED,
        participants__user=request.user,
    )
    return acc, intro


@login_required
@require_POST
def propose(request: AuthedRequest, slug: str, intro_id: int) -> HttpResponse:
    _acc, intro = _intro_for(request, slug, intro_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Propose a time (and a place)."))
    else:
        with use_case(request, success=_("Your proposal is sent.")):
            services.propose_meeting(
                actor=request.user,
                introduction=intro,
                when=form.cleaned_data["when"],
                where=form.cleaned_data["where"],
            )
    return redirect("introductions:index", slug=slug)


@login_required
@require_POST
def outcome(request: AuthedRequest, slug: str, intro_id: int) -> HttpResponse:
    _acc, intro = _intro_for(request, slug, intro_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose met or skipped."))
    else:
        with use_case(request, success=_("Saved. Thank you!")):
            services.record_outcome(
                actor=request.user,
                introduction=intro,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
    return redirect("introductions:index", slug=slug)


@login_required
@require_POST
def preferences(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = PreferenceForm(request.POST)
    if not form.is_valid():  # two checkboxes: only a forged post gets here
        messages.error(request, _("Please check the form."))
        return redirect("introductions:index", slug=slug)
    services.set_preference(
        actor=request.user,
        network=acc.network,
        skip_next=form.cleaned_data["skip_next"],
        paused=form.cleaned_data["paused"],
    )
    messages.success(request, _("Your preferences are saved."))
    return redirect("introductions:index", slug=slug)


@login_required
@require_POST
def person_action(request: AuthedRequest, slug: str, action: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = PersonForm(request.POST, people=_people(acc.network, exclude=request.user.pk))
    if action not in {"block", "unblock", "knew"}:
        return redirect("introductions:index", slug=slug)
    if action == "unblock":
        try:
            other = int(request.POST.get("user", ""))
        except ValueError:
            return redirect("introductions:index", slug=slug)
        services.unblock_person(actor=request.user, network=acc.network, other_id=other)
        messages.success(request, _("You can be introduced to this person again."))
        return redirect("introductions:index", slug=slug)
    if not form.is_valid():
        messages.error(request, _("Choose a person."))
        return redirect("introductions:index", slug=slug)
    other = form.cleaned_data["user"]
    with use_case(request):
        if action == "block":
            services.block_person(actor=request.user, network=acc.network, other_id=other)
            messages.success(request, _("You will not be introduced to this person."))
        else:
            services.report_knew_already(actor=request.user, network=acc.network, other_id=other)
            messages.success(request, _("Noted: you already knew each other."))
    return redirect("introductions:index", slug=slug)


# --- Hosts ---------------------------------------------------------------------------------


@login_required
def rounds(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    settings_ = IntroductionSettings.objects.filter(network=acc.network).first()
    tables_form = TablesForm(request.POST or None, gatherings=_gatherings(acc.network))
    if request.method == "POST":
        kind = request.POST.get("kind", RoundKind.PAIRS)
        with use_case(request) as done:
            if kind == RoundKind.TABLES:
                if not tables_form.is_valid():
                    raise DomainError(_("Please check the table plan's details."))
                round_ = services.start_round(
                    actor=request.user,
                    network=acc.network,
                    kind=RoundKind.TABLES,
                    **tables_form.cleaned_data,
                )
            else:
                round_ = services.start_round(actor=request.user, network=acc.network)
        if done:
            messages.success(request, _("Here is the preview. Adjust it, then publish."))
            return redirect("introductions:round", slug=slug, round_id=round_.pk)
    all_rounds = list(selectors.rounds_of(acc.network, include_drafts=True))
    return render(
        request,
        "introductions/rounds.html",
        {
            "network": acc.network,
            "is_host": True,
            "rounds": all_rounds,
            "tables_form": tables_form,
            "schedule_form": ScheduleForm(
                initial={
                    "cadence": settings_.cadence if settings_ else "off",
                    "publish_automatically": settings_.publish_automatically if settings_ else True,
                }
            ),
        },
    )


@login_required
@require_POST
def schedule(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        services.update_settings(actor=request.user, network=acc.network, **form.cleaned_data)
        messages.success(request, _("The schedule is saved."))
    else:
        messages.error(request, _("Choose a schedule."))
    return redirect("introductions:rounds", slug=slug)


def _round_for(request: HttpRequest, slug: str, round_id: int, *, host: bool) -> tuple[Any, Round]:
    acc = access_network(request.user, slug, host=host)
    qs = Round.objects.filter(network=acc.network)
    if not acc.is_host:
        qs = qs.filter(status=RoundStatus.PUBLISHED, kind=RoundKind.TABLES)
    return acc, get_object_or_404(qs, pk=round_id)


@login_required
def round_detail(request: AuthedRequest, slug: str, round_id: int) -> HttpResponse:
    acc, round_ = _round_for(request, slug, round_id, host=True)
    groups = selectors.round_groups(round_)
    people: list[tuple[int, str]] = []
    view = []
    for g in groups:
        participants = list(g.participants.all())
        names = selectors.member_names(participants)
        people += sorted(names.items(), key=lambda kv: kv[1])
        view.append(
            {
                "intro": g,
                "participants": participants,
                "reasons": reasons.for_group(g.details, names=names, viewer_id=None),
            }
        )
    return render(
        request,
        "introductions/round.html",
        {
            "network": acc.network,
            "is_host": True,
            "round": round_,
            "groups": view,
            "swap_form": SwapForm(people=sorted(people, key=lambda kv: kv[1])),
            "rotations": _by_rotation(view) if round_.kind == RoundKind.TABLES else [],
            "seat_form": _seat_form(round_, view) if round_.kind == RoundKind.TABLES else None,
        },
    )


def _seat_form(round_: Round, view: list[dict[str, Any]]) -> SeatForm | None:
    """The "add to a table" form, when someone coming has no seat yet (a walk-in added at
    the door after the plan was made, a late guest or member)."""
    people = selectors.not_seated(round_)
    if not people:
        return None
    return SeatForm(people=people, tables=sum(1 for g in view if g["intro"].rotation == 0))


def _by_rotation(view: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for g in view:
        out.setdefault(g["intro"].rotation, []).append(g)
    return [{"number": r + 1, "tables": tables} for r, tables in sorted(out.items())]


@login_required
@require_POST
def round_action(request: AuthedRequest, slug: str, round_id: int, action: str) -> HttpResponse:
    _acc, round_ = _round_for(request, slug, round_id, host=True)
    with use_case(request):
        if action == "publish":
            services.publish_round(actor=request.user, round_=round_)
            messages.success(request, _("Published. Everyone is told by e-mail."))
        elif action == "discard":
            services.discard_round(actor=request.user, round_=round_)
            messages.success(request, _("The preview is discarded."))
            return redirect("introductions:rounds", slug=slug)
        elif action == "swap":
            people = [
                (p, "")
                for p in round_.introductions.values_list("participants__user_id", flat=True)
            ]
            form = SwapForm(request.POST, people=people)
            if not form.is_valid():
                raise DomainError(_("Choose two people of this round."))
            services.swap_people(actor=request.user, round_=round_, **form.cleaned_data)
            messages.success(request, _("Swapped."))
        elif action == "seat":
            tables = round_.introductions.filter(rotation=0).count()
            seat = SeatForm(request.POST, people=selectors.not_seated(round_), tables=tables)
            if not seat.is_valid():
                raise DomainError(_("Choose someone who is coming and has no seat yet."))
            services.seat_late_arrival(actor=request.user, round_=round_, **seat.seat())
            messages.success(request, _("Seated in every rotation."))
    return redirect("introductions:round", slug=slug, round_id=round_.pk)


@login_required
def tables_view(request: AuthedRequest, slug: str, round_id: int, mode: str) -> HttpResponse:
    acc, round_ = _round_for(request, slug, round_id, host=False)
    if round_.kind != RoundKind.TABLES:
        return redirect("introductions:round", slug=slug, round_id=round_.pk)
    view = []
    for g in selectors.round_groups(round_):
        view.append({"intro": g, "participants": list(g.participants.all())})
    template = (
        "introductions/tables_print.html" if mode == "print" else "introductions/tables_screen.html"
    )
    return render(
        request,
        template,
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "round": round_,
            "rotations": _by_rotation(view),
        },
    )


@login_required
def acquaintance(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    summary = selectors.acquaintance_summary(acc.network)
    members = list(
        Membership.objects.filter(
            network=acc.network, user_id__in=summary["member_ids"]
        ).select_related("user__profile")
    )
    names = {m.user_id: m.user.display_name for m in members}
    initials = {m.user_id: m.user.profile.initials for m in members}
    picture = graph.with_names(
        graph.layout(summary["member_ids"], summary["pairs"]), names, initials
    )
    met_with: dict[int, list[str]] = {uid: [] for uid in names}
    for pair in summary["pairs"]:
        a, b = sorted(pair)
        if a in names and b in names:
            met_with[a].append(names[b])
            met_with[b].append(names[a])
    for node in picture["nodes"]:
        node["met"] = sorted(met_with.get(node["id"], []))
    degree = sorted(picture["nodes"], key=lambda n: (-n["degree"], n["name"]))
    return render(
        request,
        "introductions/acquaintance.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "summary": summary,
            "percent": round(summary["coverage"] * 100),
            "picture": picture,
            "people": degree,
            "history": selectors.coverage_history(acc.network),
            "possible": max(0, summary["members"] - 1),
        },
    )
