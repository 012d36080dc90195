"""Other apps' data and links for the public page, its feed and the digest.

Each function calls the other app's public selectors or names its URL directly: the apps are a
fixed list, and a changed interface must fail a test, not quietly leave a part of the page out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse

from kring.commitment import selectors as commitment_selectors
from kring.gatherings import selectors as gatherings_selectors
from kring.gatherings.models import Gathering
from kring.ledger import selectors as ledger_selectors
from kring.networks.models import Network
from kring.results import selectors as results_selectors


def upcoming_open_gatherings(network: Network) -> list[Gathering]:
    return gatherings_selectors.upcoming_open_gatherings(network)


def open_gatherings_changed_at(network: Network) -> datetime | None:
    return gatherings_selectors.open_gatherings_changed_at(network)


def public_objectives(network: Network) -> list[results_selectors.Progress]:
    return results_selectors.public_objectives(network)


def public_impact(network: Network) -> dict[str, Any]:
    return results_selectors.public_impact(network)


def public_health(network: Network) -> dict[str, Any] | None:
    """The health scorecard when the hosts published it (else ``None``)."""
    return commitment_selectors.public_health(network)


def cost_summary(network: Network) -> dict[str, Any] | None:
    return ledger_selectors.cost_summary(network)


def guest_signup_url(network: Network, gathering: Gathering) -> str:
    return reverse(
        "gatherings:guest_signup", kwargs={"slug": network.slug, "gathering_id": gathering.pk}
    )


def gathering_url(network: Network, gathering: Gathering) -> str:
    return reverse("gatherings:detail", kwargs={"slug": network.slug, "gathering_id": gathering.pk})


def calendar_url(network: Network) -> str:
    return reverse("gatherings_global:network_feed", kwargs={"slug": network.slug})


def ask_url(network: Network) -> str:
    return reverse("results:ask", kwargs={"slug": network.slug})


def apply_url(network: Network) -> str:
    return reverse("commitment:apply", kwargs={"slug": network.slug})
