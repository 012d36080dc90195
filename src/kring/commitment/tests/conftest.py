from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def apply_network(network: Any) -> Any:
    from kring.networks.models import JoinPolicy

    network.join_policy = JoinPolicy.APPLY
    network.save()
    return network


@pytest.fixture
def submit(apply_network: Any) -> Any:
    from kring.commitment import services

    def make(email: str = "new@example.org", heard_via: str = "own", **kw: Any) -> Any:
        data = {"network": apply_network, "name": "Nina Nieuw", "email": email,
                "passion": "Starters helpen", "talents": "Fotografie", "heard_via": heard_via,
                "accept_charter": True, **kw}
        return services.submit_application(**data)

    return make


@pytest.fixture(autouse=True)
def _on_commit_now(monkeypatch: Any) -> None:
    """Run ``transaction.on_commit`` callbacks at once (the test's transaction never commits)."""
    monkeypatch.setattr("django.db.transaction.on_commit",
                        lambda fn, using=None, robust=False: fn())
