"""Pages for date polls: the members' list and poll page, the hosts' form, the guests' link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kring.core.antispam import verify_submission
from kring.core.views_helpers import use_case
from kring.networks.access import NetworkAccess, access_network
from kring.people.auth import AuthedRequest

from . import services
from .forms import AnswerForm, GuestAnswerForm, PollForm
from .models import Poll, PollResponse

GUEST_SCOPE = "polls.guest"


def _poll(acc: NetworkAccess, poll_id: int) -> Poll:
    poll = Poll.objects.filter(network=acc.network, pk=poll_id).first()
    if poll is None:
        raise Http404(_("No such poll."))
    return poll


def _table(poll: Poll) -> dict[str, Any]:
    rows = services.totals(poll)
    responses = list(poll.responses.select_related("user__profile"))
    return {
        "totals": rows,
        "best": services.best_option_ids(rows),
        "responses": [
            {
                "name": r.display_name,
                "guest": r.is_guest,
                "cells": [r.answers.get(str(t.option.pk), "") for t in rows],
            }
            for r in responses
        ],
    }


@login_required
def poll_list(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    polls = Poll.objects.filter(network=acc.network).prefetch_related("options")[:100]
    return render(
        request,
        "polls/list.html",
        {"network": acc.network, "is_host": acc.is_host, "polls": polls},
    )


@login_required
def poll_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = PollForm(request.POST or None, tz=acc.network.tzinfo)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            poll = services.create_poll(
                actor=request.user,
                network=acc.network,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                closes_at=form.cleaned_data["closes_at"],
                open_to_guests=form.cleaned_data["open_to_guests"],
                options=form.cleaned_data["options"],
            )
        if done:
            messages.success(request, _("The poll is open. Share it with the network."))
            return redirect("polls:detail", slug=slug, poll_id=poll.pk)
    return render(request, "polls/form.html", {"network": acc.network, "form": form})


@login_required
def poll_detail(request: AuthedRequest, slug: str, poll_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    poll = _poll(acc, poll_id)
    mine = PollResponse.objects.filter(poll=poll, user=request.user).first()
    options = list(poll.options.all())
    form = AnswerForm(request.POST or None, options=options, current=mine.answers if mine else None)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.answer_poll(actor=request.user, poll=poll, answers=form.answers())
        if done:
            messages.success(request, _("Your answers are saved."))
            return redirect("polls:detail", slug=slug, poll_id=poll.pk)
    share_url = request.build_absolute_uri(
        reverse("polls_global:guest", kwargs={"token": poll.share_token})
    )
    return render(
        request,
        "polls/detail.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "poll": poll,
            "form": form,
            "share_url": share_url if poll.open_to_guests else "",
            **_table(poll),
        },
    )


@login_required
@require_POST
def poll_decide(request: AuthedRequest, slug: str, poll_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    poll = _poll(acc, poll_id)
    try:
        option_id = int(request.POST.get("option_id", ""))
    except ValueError:
        messages.error(request, _("Pick one of the dates."))
        return redirect("polls:detail", slug=slug, poll_id=poll.pk)
    with use_case(request) as done:
        gathering = services.decide_poll(actor=request.user, poll=poll, option_id=option_id)
    if not done:
        return redirect("polls:detail", slug=slug, poll_id=poll.pk)
    messages.success(request, _("The date is picked; everyone who answered gets a mail."))
    return redirect("gatherings:detail", slug=slug, gathering_id=gathering.pk)


@never_cache
def guest_poll(request: HttpRequest, token: str, edit: str = "") -> HttpResponse:
    """The share link: guests answer with name and e-mail; their own edit link shows the
    table and lets them change their answers."""
    poll = get_object_or_404(
        Poll.objects.select_related("network"), share_token=token, open_to_guests=True
    )
    response = None
    if edit:
        response = PollResponse.objects.filter(
            poll=poll, user__isnull=True, edit_token=edit
        ).first()
        if response is None:
            raise Http404(_("This link is not valid."))
    options = list(poll.options.all())
    initial = {"name": response.name, "email": response.email} if response else None
    form = GuestAnswerForm(
        request.POST or None,
        options=options,
        current=response.answers if response else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        verdict = verify_submission(request, form, scope=GUEST_SCOPE)
        if verdict.is_bot:
            return redirect("polls_global:guest", token=token)
        if verdict.ok:
            with use_case(request, form=form) as done:
                saved = services.answer_poll_as_guest(
                    poll=poll,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    answers=form.answers(),
                    response=response,
                )
            if done:
                messages.success(
                    request,
                    _("Thank you. Keep this page's address to change your answers later."),
                )
                return redirect("polls_global:guest_edit", token=token, edit=saved.edit_token)
    return render(
        request,
        "polls/guest.html",
        {
            "poll": poll,
            "network": poll.network,
            "public_network": poll.network,
            "form": form,
            "response": response,
            **(_table(poll) if response else {}),
        },
    )
