from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kring.core.errors import DomainError
from kring.people.auth import AuthedRequest

from . import services
from .forms import PreferencesForm


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    """Per kind and per channel: e-mail at once, in the daily bundle, or off (and push)."""
    request.no_store = True  # type: ignore[attr-defined]
    channels = services.channels_for(request.user)
    rows = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, rows=rows, channels=channels)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(actor=request.user, choices=form.choices())
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {"form": form, "channels": channels, "setup": services.channel_setup_links()},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the token authorises
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will stop and a button; only the POST changes anything (mail scanners
    that fetch every link stop nothing)."""
    parsed = services.read_unsubscribe_token(token)
    if parsed is None:
        return render(request, "notify/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = parsed
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, kind=kind)
        done = True
    return render(request, "notify/unsubscribe.html", {"kind": kind, "done": done, "token": token})
