"""Demo: the public page of ``anno-nu`` is on (the foundation does that); a few members show
themselves publicly so the page has people on it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .models import EmbedSettings, Follower


def seed(ctx: Any) -> None:
    network = ctx.network
    if not network.public_page_enabled:
        network.public_page_enabled = True
        network.save(update_fields=["public_page_enabled", "updated_at"])

    seed_followers(ctx)


def seed_followers(ctx: Any) -> None:
    """Three confirmed followers and one pending; the widgets allowed on the network's site."""
    network = ctx.network
    if Follower.objects.filter(network=network).exists():
        return
    for i, email in enumerate(
        ["lotte.bakker@example.net", "jeroen.smit@example.net", "eva.mulder@example.net"]
    ):
        Follower.objects.create(
            network=network,
            email=email,
            token=f"demo-follower-{i}-" + "x" * 20,
            language="nl",
            confirmed_at=ctx.now - timedelta(days=20 - i),
        )
    Follower.objects.create(
        network=network, email="nog.niet@example.net", token="demo-pending-" + "y" * 20
    )
    EmbedSettings.objects.get_or_create(
        network=network, defaults={"origins": "https://www.netwerkannonu.nl"}
    )
