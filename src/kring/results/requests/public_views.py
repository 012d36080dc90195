"""Pages for third parties, no account needed: the request form and the status page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kring.core.antispam import verify_submission
from kring.core.views_helpers import use_case
from kring.networks.access import public_network
from kring.results import services
from kring.results.models import Contribution, RequestStatus

from . import services as request_services
from .forms import AskForm, FeedbackForm

SCOPE = "results.ask"


@never_cache
def ask(request: HttpRequest, slug: str) -> HttpResponse:
    """The public request form, protected by honeypot, rate limit and proof of work."""
    network = public_network(slug)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = verify_submission(request, form, scope=SCOPE)
        if verdict.is_bot:
            return redirect("results:ask_sent", slug=slug)  # quiet drop
        if verdict.ok:
            data = form.cleaned_data
            with use_case(request, form=form) as done:
                request_services.submit_request(
                    network=network,
                    name=data["name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    need=data["need"],
                    tags=data["tags"],
                    language=(get_language() or network.language)[:2],
                )
            if done:
                return redirect("results:ask_sent", slug=slug)
    return render(
        request, "results/ask.html", {"network": network, "form": form, "public_page": True}
    )


def ask_sent(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug)
    return render(request, "results/ask_sent.html", {"network": network, "public_page": True})


@never_cache
def request_status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The requester's page behind the secret link: status, feedback, confirmations."""
    help_request = request_services.request_by_token(token)
    if help_request is None or help_request.network.slug != slug:
        raise Http404(_("This link is not valid."))
    request.no_store = True  # type: ignore[attr-defined]
    request_services.confirm_request_email(request=help_request)
    form = (
        FeedbackForm(request.POST or None)
        if "rating" in request.POST or (request.method == "GET")
        else FeedbackForm()
    )
    if request.method == "POST":
        if "confirm" in request.POST:
            contribution = Contribution.objects.filter(
                request=help_request,
                pk=request.POST.get("confirm", "0")
                if request.POST.get("confirm", "").isdigit()
                else 0,
            ).first()
            if contribution is not None:
                services.confirm_contribution(
                    actor=None, contribution=contribution, by_requester=True
                )
                messages.success(request, _("Thank you for confirming."))
            return redirect("results:request_status", slug=slug, token=token)
        if form.is_valid():
            with use_case(request, form=form) as done:
                request_services.give_feedback(
                    request=help_request,
                    rating=form.cleaned_data["rating"],
                    text=form.cleaned_data["text"],
                )
            if done:
                messages.success(request, _("Thank you for your feedback!"))
                return redirect("results:request_status", slug=slug, token=token)
    steps = [
        RequestStatus.NEW,
        RequestStatus.OPEN,
        RequestStatus.MATCHED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.DONE,
    ]
    return render(
        request,
        "results/status.html",
        {
            "network": help_request.network,
            "req": help_request,
            "form": form,
            "steps": [(s, RequestStatus(s).label) for s in steps],
            "current_index": steps.index(help_request.status)  # type: ignore[arg-type]
            if help_request.status in steps
            else -1,
            "contributions": help_request.contributions.filter(
                corrects__isnull=True
            ).select_related("member__profile", "objective"),
            "may_feedback": help_request.status in (RequestStatus.DONE, RequestStatus.CLOSED)
            and not help_request.declined
            and help_request.feedback_at is None,
            "public_page": True,
        },
    )
