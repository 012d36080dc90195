from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest

from . import selectors, services
from .forms import HostMessageForm
from .models import GATHERING_AUDIENCES


@login_required
def index(request: AuthedRequest, slug: str) -> HttpResponse:
    """ "From the hosts": a member's messages from the hosts; hosts see all and can write."""
    acc = access_network(request.user, slug)
    request.no_store = True  # type: ignore[attr-defined]
    items = selectors.messages_for(network=acc.network, user=request.user, is_host=acc.is_host)
    return render(
        request,
        "hostmessages/index.html",
        {"network": acc.network, "is_host": acc.is_host, "items": items[:50]},
    )


@login_required
def write(request: AuthedRequest, slug: str) -> HttpResponse:
    """Hosts only. "Preview" shows who will get it; "Send" sends (POST-redirect-GET)."""
    acc = access_network(request.user, slug, host=True)
    request.no_store = True  # type: ignore[attr-defined]
    form = HostMessageForm(request.POST or None, network=acc.network)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["audience"] in GATHERING_AUDIENCES and data["gathering"] is None:
            form.add_error("gathering", _("Choose the gathering this message is about."))
        elif "send" in request.POST:
            with use_case(request, form=form) as done:
                message = services.send_host_message(
                    actor=request.user,
                    network=acc.network,
                    audience=data["audience"],
                    gathering=data["gathering"],
                    subject=data["subject"],
                    body=data["body"],
                )
            if done:
                count = message.recipient_count
                messages.success(
                    request,
                    ngettext(
                        "Your message is on its way to %(count)s member.",
                        "Your message is on its way to %(count)s members.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("hostmessages:index", slug=slug)
        else:
            preview = services.preview_recipients(
                actor=request.user,
                network=acc.network,
                audience=data["audience"],
                gathering=data["gathering"],
            )
    return render(
        request,
        "hostmessages/write.html",
        {
            "network": acc.network,
            "is_host": True,
            "form": form,
            "preview": preview,
            "limit": services.daily_limit(),
        },
        status=400 if form.errors else 200,
    )
