"""Links from a post to a gathering or an objective of the same network."""

from __future__ import annotations

from django.urls import reverse

from kring.gatherings.models import Gathering
from kring.networks.models import Network
from kring.results.models import Objective


def gathering(network: Network, pk: int) -> Gathering | None:
    return Gathering.objects.filter(network=network, pk=pk).first()


def objective(network: Network, pk: int) -> Objective | None:
    return Objective.objects.filter(network=network, pk=pk).first()


def gathering_choices(network: Network) -> list[tuple[int, str]]:
    return [(g.pk, str(g)) for g in Gathering.objects.filter(network=network).order_by("-pk")[:100]]


def objective_choices(network: Network) -> list[tuple[int, str]]:
    return [(o.pk, str(o)) for o in Objective.objects.filter(network=network).order_by("-pk")[:100]]


def gathering_url(network: Network, pk: int) -> str:
    return reverse("gatherings:detail", kwargs={"slug": network.slug, "gathering_id": pk})
