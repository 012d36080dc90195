"""Getting-started steps the networks app knows about (``kring.core.registry``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.core.registry import Step

from .models import Invitation, Membership


def profile_step(request: HttpRequest, acc: Any) -> Step:
    profile = getattr(request.user, "profile", None)
    done = bool(profile and (profile.passion or profile.photo))
    label = _("Fill in your profile: your passion and a photo")
    return Step(label, reverse("people:edit"), done, order=10)


def purpose_step(request: HttpRequest, acc: Any) -> Step | None:
    if not acc.is_host:
        return None
    url = reverse("net:settings", kwargs={"slug": acc.network.slug})
    done = bool(acc.network.purpose and acc.network.for_whom)
    return Step(_("Say what the network is for and whom it serves"), url, done, "host", 10)


def invite_step(request: HttpRequest, acc: Any) -> Step | None:
    if not acc.is_host:
        return None
    url = reverse("net:invitations", kwargs={"slug": acc.network.slug})
    done = (
        Invitation.objects.filter(network=acc.network).exists()
        or Membership.objects.current().filter(network=acc.network).count() > 1
    )
    return Step(_("Invite the first members"), url, done, "host", 20)


def public_page_step(request: HttpRequest, acc: Any) -> Step | None:
    if not acc.is_host:
        return None
    url = reverse("net:settings", kwargs={"slug": acc.network.slug})
    return Step(_("Open your public page"), url, acc.network.public_page_enabled, "host", 40)
