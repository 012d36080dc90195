"""The "Next gathering" panel on the network home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.core.registry import Panel, Step

from .models import Gathering
from .selectors import next_gathering_for


def _next_gathering(request: HttpRequest, acc: Any) -> Gathering | None:
    """The viewer's next gathering, looked up once per request: the home page's panel and its
    getting-started steps all ask for it."""
    memo: dict[int, Gathering | None] = request.__dict__.setdefault("_kring_next_gathering", {})
    if acc.network.pk not in memo:
        memo[acc.network.pk] = next_gathering_for(acc.network, request.user)
    return memo[acc.network.pk]


def next_gathering_panel(request: HttpRequest, acc: Any) -> Panel:
    gathering = _next_gathering(request, acc)
    if gathering is not None:
        gathering.network = acc.network  # the template's local_when needs its time zone
    return Panel(
        template="gatherings/_home_panel.html",
        context={
            "gathering": gathering,
            "slug": acc.network.slug,
        },
        order=10,
    )


def answer_step(request: HttpRequest, acc: Any) -> Step | None:
    """Getting started: answer for the next gathering."""
    gathering = _next_gathering(request, acc)
    if gathering is None:
        return None
    url = reverse(
        "gatherings:detail", kwargs={"slug": acc.network.slug, "gathering_id": gathering.pk}
    )
    answered = bool(getattr(gathering, "my_status", ""))  # annotated by next_gathering_for
    return Step(_("Say whether you come to the next gathering"), url, answered, order=40)


def first_gathering_step(request: HttpRequest, acc: Any) -> Step | None:
    """Getting started, for a host: plan the first gathering."""
    if not acc.is_host:
        return None
    url = reverse("gatherings:new", kwargs={"slug": acc.network.slug})
    # An upcoming gathering (already looked up for this page) settles it without a query.
    done = (
        _next_gathering(request, acc) is not None
        or Gathering.objects.filter(network=acc.network).exists()
    )
    return Step(_("Plan the first gathering"), url, done, "host", 30)
