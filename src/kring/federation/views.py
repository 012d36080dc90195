"""Hosts' pages: the fediverse setting, followers, the reply moderation queue, delivery health
and blocks. Every view starts with ``access_network(..., host=True)``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest

from . import selectors, services
from .forms import BlockForm, FederationForm
from .models import FollowerStatus


@login_required
def settings_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    summary = selectors.summary(acc.network)
    form = FederationForm(
        request.POST if request.method == "POST" else None,
        initial={"enabled": summary.enabled, "approve_followers": summary.approve_followers},
    )
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.set_federation(
                actor=request.user,
                network=acc.network,
                enabled=form.cleaned_data["enabled"],
                approve_followers=form.cleaned_data["approve_followers"],
            )
        if done:
            messages.success(request, _("The fediverse setting is saved."))
            return redirect("federation:settings", slug=slug)
    return render(
        request,
        "federation/settings.html",
        {
            "network": acc.network,
            "is_host": True,
            "form": form,
            "summary": summary,
            "health": selectors.delivery_health(acc.network),
            "blocks": selectors.blocks(acc.network),
            "block_form": BlockForm(),
        },
    )


@login_required
@require_POST
def rotate_key(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    with use_case(request, success=_("A new key is in use; followers are told.")):
        services.rotate_key(actor=request.user, network=acc.network)
    return redirect("federation:settings", slug=slug)


@login_required
def followers_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    return render(
        request,
        "federation/followers.html",
        {
            "network": acc.network,
            "is_host": True,
            "summary": selectors.summary(acc.network),
            "by_instance": selectors.followers_by_instance(acc.network),
            "pending": selectors.followers(acc.network, status=FollowerStatus.PENDING),
            "accepted": selectors.followers(acc.network, status=FollowerStatus.ACCEPTED)[:200],
        },
    )


@login_required
@require_POST
def follower_action(
    request: AuthedRequest, slug: str, follower_id: int, action: str
) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    if action not in {"approve", "remove"}:
        raise Http404
    with use_case(request):
        if action == "approve":
            services.approve_follower(
                actor=request.user, network=acc.network, follower_id=follower_id
            )
            messages.success(request, _("The follower is approved."))
        else:
            services.remove_follower(
                actor=request.user, network=acc.network, follower_id=follower_id
            )
            messages.success(request, _("The follower is removed."))
    return redirect("federation:followers", slug=slug)


@login_required
def replies_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    return render(
        request,
        "federation/replies.html",
        {
            "network": acc.network,
            "is_host": True,
            "replies": selectors.held_replies(acc.network),
        },
    )


@login_required
@require_POST
def reply_action(request: AuthedRequest, slug: str, reply_id: int, action: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    if action not in {"approve", "reject", "block"}:
        raise Http404
    with use_case(
        request,
        success=_("The reply is shown.") if action == "approve" else _("The reply is rejected."),
    ):
        reply = services.moderate_reply(
            actor=request.user, network=acc.network, reply_id=reply_id, approve=action == "approve"
        )
        if action == "block":
            services.block(
                actor=request.user, network=acc.network, kind="actor", value=reply.actor.ap_id
            )
    return redirect("federation:replies", slug=slug)


@login_required
@require_POST
def block_add(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = BlockForm(request.POST)
    if form.is_valid():
        with use_case(request, success=_("Blocked.")):
            services.block(
                actor=request.user,
                network=acc.network,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
            )
    else:
        messages.error(request, _("Give a domain or an account address to block."))
    return redirect("federation:settings", slug=slug)


@login_required
@require_POST
def block_remove(request: AuthedRequest, slug: str, block_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    with use_case(request, success=_("The block is lifted.")):
        services.unblock(actor=request.user, network=acc.network, block_id=block_id)
    return redirect("federation:settings", slug=slug)
