"""Demo: the public page of ``anno-nu`` is on (the foundation does that); a few members show
themselves publicly so the page has people on it."""

from __future__ import annotations

from typing import Any


def seed(ctx: Any) -> None:
    network = ctx.network
    if not network.public_page_enabled:
        network.public_page_enabled = True
        network.save(update_fields=["public_page_enabled", "updated_at"])
