"""The devices page: turn notifications on for this device (JavaScript), list and remove
devices (plain forms), send a test notification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.views_helpers import use_case
from kring.people.auth import AuthedRequest

from . import selectors, services


@login_required
def devices(request: AuthedRequest) -> HttpResponse:
    request.no_store = True  # type: ignore[attr-defined]
    return render(
        request, "push/devices.html", {"devices": list(selectors.devices_of(request.user))}
    )


@login_required
@require_POST
def remove(request: AuthedRequest, subscription_id: int) -> HttpResponse:
    with use_case(request, success=_("The device is removed: it gets no more notifications.")):
        services.remove_device(actor=request.user, subscription_id=subscription_id)
    return redirect("push:devices")


@login_required
@require_POST
def test(request: AuthedRequest) -> HttpResponse:
    with use_case(request, success=_("A test notification is on its way to your devices.")):
        services.send_test(actor=request.user)
    return redirect("push:devices")
