"""Members' pages: impact, objectives, contributions, requests, intentions, referrals."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.csv_export import csv_response
from kring.core.formats import named_format
from kring.core.pagecache import cached_page
from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest
from kring.people.models import User

from . import charts, selectors, services
from .forms import (
    ContributionForm,
    CorrectionForm,
    IntentionForm,
    ObjectiveForm,
    ReferralForm,
    ReferralUpdateForm,
)
from .models import (
    Contribution,
    HelpRequest,
    Intention,
    Objective,
    Referral,
    ReferralStatus,
    RequestHelper,
    RequestStatus,
)


def _month(d: date) -> str:
    return date_format(d, named_format("SHORT_MONTH_YEAR_FORMAT"))


@login_required
@cached_page
def index(request: AuthedRequest, slug: str) -> HttpResponse:
    """The members' impact page."""
    acc = access_network(request.user, slug)
    network = acc.network
    tree = selectors.objective_tree(network)
    per_month = selectors.contributions_per_month(network)
    month_chart = charts.bar_chart(
        [(_month(m), n) for m, n in per_month],
        title=_("Contributions per month"),
        desc=_("Number of contributions logged in each of the last twelve months."),
    )
    return render(
        request,
        "results/index.html",
        {
            "network": network,
            "is_host": acc.is_host,
            "objectives": selectors.flatten(tree),
            "per_month": per_month,
            "month_chart": month_chart,
            "requests": selectors.request_counts(network),
            "beneficiaries": selectors.beneficiaries(network),
            "statuses": RequestStatus.choices,
        },
    )


@login_required
def objective_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = ObjectiveForm(request.POST or None, network=acc.network)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            objective = services.create_objective(
                actor=request.user, network=acc.network, **form.cleaned_data
            )
        if done:
            messages.success(request, _("The objective is added."))
            return redirect("results:objective", slug=slug, pk=objective.pk)
    return render(
        request,
        "results/objective_form.html",
        {"network": acc.network, "form": form, "is_host": True},
    )


@login_required
def objective_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    objective = get_object_or_404(Objective, pk=pk, network=acc.network)
    initial = {
        f: getattr(objective, f)
        for f in (
            "title",
            "description",
            "unit",
            "custom_unit",
            "target",
            "period_start",
            "period_end",
            "visibility",
        )
    }
    initial["parent"] = objective.parent_id
    form = ObjectiveForm(
        request.POST or None, network=acc.network, exclude=objective.pk, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.update_objective(
                actor=request.user, objective=objective, data=form.cleaned_data
            )
        if done:
            messages.success(request, _("Saved."))
            return redirect("results:objective", slug=slug, pk=objective.pk)
    return render(
        request,
        "results/objective_form.html",
        {"network": acc.network, "form": form, "is_host": True, "objective": objective},
    )


@login_required
def objective_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    objective = get_object_or_404(
        Objective.objects.select_related("network", "parent"), pk=pk, network=acc.network
    )
    form = ContributionForm(
        request.POST or None,
        network=acc.network,
        user_id=request.user.pk,
        initial={"date": timezone.localdate(timezone=acc.network.tzinfo)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        beneficiary = (
            User.objects.filter(pk=data["beneficiary"]).first() if data["beneficiary"] else None
        )
        with use_case(request, form=form) as done:
            services.log_contribution(
                actor=request.user,
                objective=objective,
                amount=data["amount"],
                on=data["date"],
                for_whom=data["for_whom"],
                note=data["note"],
                evidence_url=data["evidence_url"],
                beneficiary=beneficiary,
            )
        if done:
            messages.success(request, _("Thank you! Your contribution is logged."))
            return redirect("results:objective", slug=slug, pk=pk)
    progress = selectors.progress_of(objective)
    series = selectors.progress_series(objective)
    start, end = objective.period_start, objective.period_end
    # Months in the period (at most ten years' worth, like the series itself).
    months = min((end.year - start.year) * 12 + end.month - start.month + 1, 12 * 10 + 1)
    chart = charts.line_chart(
        [(_month(d), v) for d, v in series],
        target=objective.target,
        total_steps=months,
        target_label=_("target %(n)s") % {"n": f"{objective.target:f}".rstrip("0").rstrip(".")},
        title=_("Progress of %(title)s") % {"title": objective.title},
        desc=_("Cumulative progress per month against a straight line to the target."),
    )
    contributions = Contribution.objects.filter(objective=objective).select_related(
        "member__profile", "beneficiary__profile", "corrects"
    )[:200]
    return render(
        request,
        "results/objective.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "objective": objective,
            "progress": progress,
            "series": series,
            "chart": chart,
            "form": form,
            "contributions": contributions,
            "children": Objective.objects.filter(parent=objective),
        },
    )


@login_required
def my_contributions(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    mine = Contribution.objects.filter(network=acc.network, member=request.user).select_related(
        "objective", "corrects"
    )
    pending = (
        Contribution.objects.filter(
            network=acc.network, confirmed_at__isnull=True, corrects__isnull=True
        )
        .exclude(member=request.user)
        .select_related("objective", "member__profile")
    )
    if not acc.is_host:  # members confirm what was done for them
        pending = pending.filter(beneficiary=request.user)
    to_confirm = list(pending[:300])
    return render(
        request,
        "results/contributions.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "contributions": mine,
            "to_confirm": to_confirm,
            "correction_form": CorrectionForm(),
        },
    )


@login_required
@require_POST
def contribution_correct(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    contribution = get_object_or_404(Contribution, pk=pk, network=acc.network)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the correct amount and a reason."))
    else:
        with use_case(
            request, success=_("The correction is logged; the original stays in the history.")
        ):
            services.correct_contribution(
                actor=request.user,
                contribution=contribution,
                new_amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
    return redirect("results:contributions", slug=slug)


@login_required
@require_POST
def contribution_confirm(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    contribution = get_object_or_404(Contribution, pk=pk, network=acc.network)
    with use_case(request, success=_("Confirmed. Thank you.")):
        services.confirm_contribution(actor=request.user, contribution=contribution)
    return redirect("results:contributions", slug=slug)


# --------------------------------------------------------------------------- intentions


@login_required
def intentions(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    mine = Intention.objects.filter(network=acc.network, user=request.user).first()
    initial = (
        {
            "seeks": mine.seeks,
            "gives": mine.gives,
            "seeks_detail": mine.seeks_detail,
            "gives_detail": mine.gives_detail,
        }
        if mine
        else None
    )
    form = IntentionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.state_intention(actor=request.user, network=acc.network, **form.cleaned_data)
        if done:
            messages.success(request, _("Thank you for saying it out loud."))
            return redirect("results:intentions", slug=slug)
    overview = selectors.intention_overview(acc.network)
    chart = charts.paired_hbar_chart(
        [(str(label), s, g) for label, s, g, _v in overview["rows"]],
        title=_("What we are all here for"),
        desc=_("For each kind of intention: how many members seek it and how many give it."),
        legend=(_("seek"), _("give")),
    )
    return render(
        request,
        "results/intentions.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
            "mine": mine,
            "overview": overview,
            "chart": chart,
            "unserved": selectors.unserved_intentions(acc.network) if acc.is_host else [],
        },
    )


# --------------------------------------------------------------------------- referrals


@login_required
def referrals(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = ReferralForm(request.POST or None, network=acc.network, user_id=request.user.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with use_case(request, form=form) as done:
            services.pass_referral(
                actor=request.user,
                network=acc.network,
                to_user=User.objects.filter(pk=data["to_user"]).first(),
                lead=data["lead"],
                contact=data["contact"],
                note=data["note"],
            )
        if done:
            messages.success(request, _("The lead is passed on."))
            return redirect("results:referrals", slug=slug)
    base = Referral.objects.filter(network=acc.network).select_related(
        "from_user__profile", "to_user__profile"
    )
    return render(
        request,
        "results/referrals.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
            "received": base.filter(to_user=request.user),
            "given": base.filter(from_user=request.user),
            "update_form": ReferralUpdateForm(),
            "counts": {
                "total": base.count(),
                "won": base.filter(status=ReferralStatus.WON).count(),
            },
        },
    )


@login_required
@require_POST
def referral_update(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    referral = get_object_or_404(Referral, pk=pk, network=acc.network)
    form = ReferralUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status; the value must be a positive amount."))
        return redirect("results:referrals", slug=slug)
    value = form.cleaned_data["value"]
    with use_case(request, success=_("Saved.")):
        services.update_referral(
            actor=request.user,
            referral=referral,
            status=form.cleaned_data["status"],
            value_cents=int(value * 100) if value is not None else None,
        )
    return redirect("results:referrals", slug=slug)


# --------------------------------------------------------------------------- export


@login_required
def export_contributions(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    response, writer = csv_response(f"{slug}-contributions.csv")
    writer.writerow(
        [
            "id",
            "date",
            "objective",
            "unit",
            "member",
            "amount",
            "for_whom",
            "corrects",
            "confirmed",
            "request",
            "evidence",
            "note",
        ]
    )
    for c in (
        Contribution.objects.filter(network=acc.network)
        .select_related("objective", "member__profile")
        .order_by("date", "pk")
    ):
        writer.writerow(
            [
                c.pk,
                c.date.isoformat(),
                c.objective.title,
                c.objective.unit_label,
                c.member.display_name,
                c.amount,
                c.for_whom,
                c.corrects_id or "",
                "yes" if c.confirmed_at else "",
                c.request_id or "",
                c.evidence_url,
                c.note,
            ]
        )
    return response


@login_required
def export_requests(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    response, writer = csv_response(f"{slug}-requests.csv")
    writer.writerow(
        [
            "id",
            "created",
            "status",
            "declined",
            "name",
            "email",
            "organisation",
            "topics",
            "need",
            "helpers",
            "feedback_rating",
            "feedback",
        ]
    )
    qs = (
        HelpRequest.objects.filter(network=acc.network)
        .prefetch_related(
            Prefetch(
                "helpers",
                queryset=RequestHelper.objects.filter(accepted=True).select_related(
                    "user__profile"
                ),
            )
        )
        .order_by("created_at")
    )
    for r in qs:
        writer.writerow(
            [
                r.pk,
                r.created_at.astimezone(acc.network.tzinfo).isoformat(),
                r.status,
                "yes" if r.declined else "",
                r.name,
                r.email,
                r.organisation,
                ", ".join(r.tags),
                r.need,
                ", ".join(h.user.display_name for h in r.helpers.all()),
                r.feedback_rating or "",
                r.feedback_text,
            ]
        )
    return response
