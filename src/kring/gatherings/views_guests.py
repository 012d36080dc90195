"""Hosts' pages for guests and the door; joining online (members and guests)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kring.core.errors import DomainError
from kring.core.views_helpers import use_case
from kring.networks.access import NetworkAccess, access_network
from kring.people.auth import AuthedRequest
from kring.public import followers

from . import selectors, services
from .forms import WalkInForm
from .models import Gathering, RsvpStatus


def _get(acc: NetworkAccess, gathering_id: int) -> Gathering:
    g = selectors.gathering_for(acc.network, gathering_id)
    if g is None:
        raise Http404(_("No such gathering."))
    return g


@login_required
def gathering_guests(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    return render(
        request,
        "gatherings/guests.html",
        {
            "network": acc.network,
            "is_host": True,
            "gathering": g,
            "guests": selectors.gathering_guests(g),
            "followers": followers.follower_counts(acc.network)["active"],
        },
    )


@login_required
def network_guests(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    return render(
        request,
        "gatherings/network_guests.html",
        {"network": acc.network, "is_host": True, "guests": selectors.network_guests(acc.network)},
    )


@login_required
@require_POST
def invite_guest(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    email = request.POST.get("email", "")
    with use_case(request, success=_("Invited: %(email)s gets a mail to join.") % {"email": email}):
        services.invite_guest(actor=request.user, network=acc.network, email=email)
    return redirect("gatherings:network_guests", slug=slug)


@login_required
@require_POST
def invite_followers(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    with use_case(request) as done:
        n = followers.invite_followers(actor=request.user, gathering=g)
    if done:
        messages.success(request, _("%(n)s followers get an invitation by e-mail.") % {"n": n})
    return redirect("gatherings:guests", slug=slug, gathering_id=g.pk)


@login_required
@require_POST
def walk_in(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    form = WalkInForm(request.POST)
    if form.is_valid():
        with use_case(request, form=form) as done:
            r = services.add_walk_in(
                actor=request.user,
                gathering=g,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"] or None,
                consent=form.cleaned_data["consent"],
            )
        if done:
            messages.success(request, _("%(name)s is checked in. Welcome!") % {"name": r.name})
            return redirect("gatherings:checkin", slug=slug, gathering_id=g.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("gatherings:checkin", slug=slug, gathering_id=g.pk)


@login_required
@require_POST
def join(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    """Record online attendance, then go to the meeting link."""
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    with use_case(request) as done:
        services.join_online(actor=request.user, gathering=g)
    if not done:
        return redirect("gatherings:detail", slug=slug, gathering_id=g.pk)
    return HttpResponseRedirect(g.online_url)


@never_cache
@require_POST
def guest_join(request: HttpRequest, token: str) -> HttpResponse:
    rsvp = services.guest_rsvp_by_token(token)
    if rsvp is None:
        raise Http404(_("This link is not valid."))
    try:
        services.guest_join_online(rsvp=rsvp)
    except DomainError as exc:
        return render(
            request,
            "gatherings/guest_link.html",
            {
                "rsvp": rsvp,
                "gathering": rsvp.gathering,
                "action": "join",
                "error": str(exc),
                "posted": True,
                "position": None,
                "statuses": RsvpStatus,
            },
            status=exc.status,
        )
    return HttpResponseRedirect(rsvp.gathering.online_url)
