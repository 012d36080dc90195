from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.core.errors import DomainError
from kring.core.views_helpers import form_error, use_case
from kring.networks.access import NetworkAccess, access_network, public_network
from kring.people.auth import AuthedRequest

from . import engagement, health, selectors, services, sources, spam
from .forms import AdviceForm, ApplicationForm, CharterForm, DecisionForm, SettingsForm
from .models import Application, ApplicationStatus


def _formula_rows() -> list[dict[str, object]]:
    labels = part_labels()
    return [{"key": k, "label": labels[k], "weight": w} for k, w in engagement.WEIGHTS.items()]


def part_labels() -> dict[str, str]:
    return {
        "attendance": _("Gatherings attended / gatherings held since you joined"),
        "agenda": _("Agendas read before the meeting / gatherings attended"),
        "actions": _("Action items done on time / action items due"),
        "introductions": _("Introductions met / introductions made to you"),
        "contributions": _("Contributions logged / the charter's target (%(n)s)")
        % {"n": engagement.Targets().contributions},
        "conversation": _("Posts and comments / the charter's target (%(n)s)")
        % {"n": engagement.Targets().conversation},
    }


@login_required
def mine(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    rows = selectors.engagement_of(acc.network, user_id=request.user.pk)
    row = rows[0] if rows else None
    labels = part_labels()
    parts = []
    if row is not None:
        for key, weight in engagement.WEIGHTS.items():
            value = row.result.parts.get(key)
            parts.append(
                {
                    "key": key,
                    "label": labels[key],
                    "weight": weight,
                    "percent": None if value is None else round(value * 100),
                }
            )
    return render(
        request,
        "commitment/mine.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "membership": acc.membership,
            "row": row,
            "parts": parts,
            "charter": engagement.meets_charter(row.activity) if row else {},
            "period_days": engagement.PERIOD_DAYS,
            "trend": selectors.trend(acc.network, user_id=request.user.pk),
            "needs_charter": selectors.needs_reacceptance(acc.membership),
        },
    )


@login_required
def team(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    rows = selectors.engagement_of(acc.network)
    conf = selectors.settings_for(acc.network)
    scores = [r.score for r in rows if r.score is not None]
    dist = engagement.distribution(scores)
    bands = ["0–19", "20–39", "40–59", "60–79", "80–100"]
    return render(
        request,
        "commitment/team.html",
        {
            "network": acc.network,
            "is_host": True,
            "distribution": list(zip(bands, dist, strict=True)),
            "dist_max": max([*dist, 1]),
            "median": engagement.median(scores),
            "scored": len(scores),
            "total": len(rows),
            "trend": selectors.trend(acc.network),
            "calls": selectors.needs_a_call(rows, conf.low_engagement_threshold),
            "threshold": conf.low_engagement_threshold,
            "formula": _formula_rows(),
            "paused": [r for r in rows if r.membership.status == "paused"],
        },
    )


@login_required
def charter(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    if request.method == "POST":
        services.accept_charter(actor=request.user, network=acc.network)
        messages.success(request, _("Thank you for accepting the charter."))
        return redirect("commitment:charter", slug=slug)
    latest = selectors.latest_charter(acc.network)
    needs = selectors.needs_reacceptance(acc.membership, latest)
    diff = []
    if needs and latest is not None:
        old = selectors.accepted_version(acc.membership)
        diff = selectors.charter_diff(old.text if old else "", latest.text)
    return render(
        request,
        "commitment/charter.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "membership": acc.membership,
            "latest": latest,
            "needs": needs,
            "diff": diff,
            "versions": selectors.charter_versions(acc.network),
        },
    )


@login_required
def charter_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = CharterForm(request.POST or None, initial={"text": acc.network.charter})
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            version = services.publish_charter(
                actor=request.user,
                network=acc.network,
                text=form.cleaned_data["text"],
                summary=form.cleaned_data["summary"],
            )
        if done:
            messages.success(
                request,
                _("Version %(n)s of the charter is published; members are asked to accept it.")
                % {"n": version.number},
            )
            return redirect("commitment:charter", slug=slug)
    return render(
        request,
        "commitment/charter_edit.html",
        {"network": acc.network, "is_host": True, "form": form},
    )


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug, applications=True)
    objectives = sources.objectives(network)
    form = ApplicationForm(request.POST or None, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        verdict = spam.check_form(request, form)
        if verdict.is_bot:
            return redirect("commitment:apply_sent", slug=slug)  # dropped quietly
        try:
            if not verdict.ok:
                raise DomainError(_("Please check the form."))
            services.submit_application(
                network=network,
                name=data["name"],
                email=data["email"],
                passion=data["passion"],
                talents=data["talents"],
                gives=data["gives"],
                seeks=data["seeks"],
                objective_id=data.get("objective"),
                heard_via=data["heard_via"],
                accept_charter=data["accept_charter"],
            )
        except DomainError as exc:
            if verdict.ok:
                form_error(form, exc)
        else:
            return redirect("commitment:apply_sent", slug=slug)
    latest = selectors.latest_charter(network)
    return render(
        request,
        "commitment/apply.html",
        {
            "network": network,
            "form": form,
            "charter_text": latest.text if latest else network.charter,
            "proof_of_work": spam.proof_of_work_enabled(),
        },
    )


def apply_sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "commitment/apply_sent.html", {"network": public_network(slug, applications=True)}
    )


def verify(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    network = public_network(slug, applications=True)
    try:
        application = services.verify_application(token=token[:200])
    except DomainError as exc:
        return render(
            request, "commitment/verify.html", {"network": network, "error": str(exc)}, status=400
        )
    if application.network_id != network.pk:
        raise Http404(_("No such application."))
    return render(request, "commitment/verify.html", {"network": network, "error": ""})


def _reviewer(request: AuthedRequest, slug: str) -> NetworkAccess:
    acc = access_network(request.user, slug)
    if not services.can_advise(request.user, acc.network):
        raise PermissionDenied(_("Only hosts of this network can do this."))
    return acc


@login_required
def applications(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = _reviewer(request, slug)
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    return render(
        request,
        "commitment/applications.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "status": status,
            "statuses": [(s, label) for s, label in ApplicationStatus.choices if s != "unverified"],
            "applications": list(selectors.applications_for(acc.network, status=status)[:300]),
            "full": services.is_full(acc.network),
            "settings": selectors.settings_for(acc.network),
        },
    )


@login_required
def application(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = _reviewer(request, slug)
    app = get_object_or_404(
        Application.objects.exclude(status=ApplicationStatus.UNVERIFIED), pk=pk, network=acc.network
    )
    advice_form = AdviceForm(prefix="advice")
    decision_form = DecisionForm(prefix="decision")
    if request.method == "POST":
        if "advice-text" in request.POST:
            advice_form = AdviceForm(request.POST, prefix="advice")
            if advice_form.is_valid():
                with use_case(request, form=advice_form) as done:
                    services.add_advice(
                        actor=request.user, application=app, text=advice_form.cleaned_data["text"]
                    )
                if done:
                    messages.success(request, _("Thank you for your advice."))
                    return redirect("commitment:application", slug=slug, pk=pk)
        else:
            if not acc.is_host:
                raise PermissionDenied(_("Only hosts of this network can do this."))
            decision_form = DecisionForm(request.POST, prefix="decision")
            if decision_form.is_valid():
                with use_case(request, form=decision_form) as done:
                    services.decide_application(
                        actor=request.user,
                        application=app,
                        decision=decision_form.cleaned_data["decision"],
                        message=decision_form.cleaned_data["message"],
                    )
                if done:
                    messages.success(request, _("Saved; the applicant gets an e-mail."))
                    return redirect("commitment:applications", slug=slug)
    return render(
        request,
        "commitment/application.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "app": app,
            "advice": list(app.advice.select_related("author__profile")),
            "advice_form": advice_form,
            "decision_form": decision_form,
            "open": app.status in (ApplicationStatus.PENDING, ApplicationStatus.WAITLISTED),
            "full": services.is_full(acc.network),
        },
    )


@login_required
def growth(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    data = selectors.funnel(acc.network)
    return render(
        request,
        "commitment/growth.html",
        {
            "network": acc.network,
            "is_host": True,
            "data": data,
            "chart": selectors.funnel_chart(data),
        },
    )


@login_required
def health_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    conditions = selectors.network_health(acc.network)
    return render(
        request,
        "commitment/health.html",
        {
            "network": acc.network,
            "is_host": True,
            "conditions": conditions,
            "overall": health.overall(conditions),
            "good": health.GOOD,
            "settings": selectors.settings_for(acc.network),
            "now": timezone.now(),
        },
    )


@login_required
def settings_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = SettingsForm(request.POST or None, instance=selectors.settings_for(acc.network))
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.update_settings(
                actor=request.user, network=acc.network, data=form.cleaned_data
            )
        if done:
            messages.success(request, _("Saved."))
            return redirect("commitment:settings", slug=slug)
    return render(
        request, "commitment/settings.html", {"network": acc.network, "is_host": True, "form": form}
    )
