"""Members' pages for requests from third parties: list, detail, triage, helpers, status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.errors import DomainError
from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest
from kring.people.models import User
from kring.results import selectors, services
from kring.results.forms import ContributionForm
from kring.results.models import TRANSITIONS, HelpRequest, Objective, RequestHelper, RequestStatus

from . import services as request_services
from .forms import TriageForm


@login_required
def request_list(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    status = request.GET.get("status", "")
    qs = HelpRequest.objects.filter(network=acc.network).prefetch_related(
        Prefetch(
            "helpers",
            queryset=RequestHelper.objects.filter(accepted=True).select_related("user__profile"),
        )
    )
    if not acc.is_host:
        qs = qs.exclude(status=RequestStatus.NEW).exclude(declined=True)
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "results/requests.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "requests": qs[:300],
            "status": status,
            "statuses": RequestStatus.choices,
            "public_form": acc.network.public_page_enabled,
        },
    )


@login_required
def request_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    help_request = get_object_or_404(HelpRequest, pk=pk, network=acc.network)
    if not acc.is_host and (help_request.status == RequestStatus.NEW or help_request.declined):
        raise Http404(_("No such request."))
    helpers = list(help_request.helpers.select_related("user__profile"))
    mine = next((h for h in helpers if h.user_id == request.user.pk), None)
    context = {
        "network": acc.network,
        "is_host": acc.is_host,
        "req": help_request,
        "helpers": helpers,
        "mine": mine,
        "may_change": request_services.may_change_status(request.user, help_request),
        "next_statuses": _next_statuses(help_request, acc.is_host),
        "objectives": Objective.objects.for_network(acc.network),
        "contributions": help_request.contributions.select_related("member__profile", "objective"),
    }
    if acc.is_host:
        context["triage_form"] = TriageForm()
        if help_request.is_open_for_help:
            context["suggestions"] = selectors.suggestions(help_request)
    return render(request, "results/request.html", context)


def _next_statuses(help_request: HelpRequest, host: bool) -> list[tuple[str, str]]:

    allowed = TRANSITIONS.get(help_request.status, set())
    if help_request.status == RequestStatus.NEW:
        return []
    return [
        (v, str(label))
        for v, label in RequestStatus.choices
        if v in allowed and (host or v != RequestStatus.CLOSED)
    ]


@login_required
@require_POST
def request_triage(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    help_request = get_object_or_404(HelpRequest, pk=pk, network=acc.network)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("results:request_detail", slug=slug, pk=pk)
    with use_case(request):
        if form.cleaned_data["decision"] == "accept":
            request_services.accept_request(
                actor=request.user, request=help_request, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Accepted. Now find the right people."))
        else:
            request_services.decline_request(
                actor=request.user, request=help_request, message=form.cleaned_data["note"]
            )
            messages.success(request, _("Declined; your message was sent."))
    return redirect("results:request_detail", slug=slug, pk=pk)


@login_required
@require_POST
def request_volunteer(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    help_request = get_object_or_404(HelpRequest, pk=pk, network=acc.network)
    with use_case(request, success=_("Thank you for helping! Get in touch with the requester.")):
        request_services.volunteer(actor=request.user, request=help_request)
    return redirect("results:request_detail", slug=slug, pk=pk)


@login_required
@require_POST
def request_ask(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    help_request = get_object_or_404(HelpRequest, pk=pk, network=acc.network)
    user = (
        User.objects.filter(pk=request.POST.get("user", "0") or 0).first()
        if (request.POST.get("user", "").isdigit())
        else None
    )
    with use_case(request, success=_("We asked them by e-mail.")):
        request_services.ask_member(actor=request.user, request=help_request, user=user)
    return redirect("results:request_detail", slug=slug, pk=pk)


@login_required
@require_POST
def request_answer(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    helper = get_object_or_404(
        RequestHelper, request__pk=pk, request__network=acc.network, user=request.user
    )
    with use_case(request, success=_("Thank you for answering.")):
        request_services.answer_ask(
            actor=request.user, helper=helper, yes=request.POST.get("answer") == "yes"
        )
    return redirect("results:request_detail", slug=slug, pk=pk)


@login_required
@require_POST
def request_status(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    help_request = get_object_or_404(HelpRequest, pk=pk, network=acc.network)
    with use_case(request, success=_("The status is updated.")):
        request_services.set_request_status(
            actor=request.user, request=help_request, status=request.POST.get("status", "")
        )
    return redirect("results:request_detail", slug=slug, pk=pk)


@login_required
@require_POST
def request_contribute(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Log a contribution to an objective for a done (or running) request."""
    acc = access_network(request.user, slug)
    help_request = get_object_or_404(HelpRequest, pk=pk, network=acc.network)
    objective = (
        Objective.objects.for_network(acc.network)
        .filter(
            pk=int(request.POST["objective"]) if request.POST.get("objective", "").isdigit() else 0
        )
        .first()
    )
    form = ContributionForm(request.POST, network=acc.network, user_id=request.user.pk)
    if objective is None or not form.is_valid():
        messages.error(request, _("Choose an objective and give an amount and a date."))
        return redirect("results:request_detail", slug=slug, pk=pk)
    data = form.cleaned_data
    with use_case(request, success=_("Thank you! Your contribution is logged.")):
        if help_request.status not in (RequestStatus.IN_PROGRESS, RequestStatus.DONE):
            raise DomainError(_("Log contributions once work on the request has started."))
        services.log_contribution(
            actor=request.user,
            objective=objective,
            amount=data["amount"],
            on=data["date"],
            for_whom=data["for_whom"] or help_request.organisation or help_request.name,
            note=data["note"],
            evidence_url=data["evidence_url"],
            request=help_request,
        )
    return redirect("results:request_detail", slug=slug, pk=pk)
