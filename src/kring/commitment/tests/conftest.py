from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _clear_cache(request: Any) -> None:
    """Rate-limit counters live in the (database) cache: start each DB test with none."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from kring.core.testing import clear_cache

    clear_cache()


@pytest.fixture
def no_pow(monkeypatch: Any) -> None:
    """Forms without the browser's proof of work (the honeypot and rate limit still apply)."""
    from kring.commitment import spam

    monkeypatch.setattr(spam, "proof_of_work_enabled", lambda: False)


@pytest.fixture
def solved(settings: Any) -> Any:
    """``solved()`` → a solved proof-of-work payload (a small challenge, for speed)."""
    from kring.core import antispam

    settings.KRING_ANTISPAM_MAX_NUMBER = 50
    return lambda: antispam.solve_challenge(antispam.create_challenge())


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
        data = {
            "network": apply_network,
            "name": "Nina Nieuw",
            "email": email,
            "passion": "Starters helpen",
            "talents": "Fotografie",
            "heard_via": heard_via,
            "accept_charter": True,
            **kw,
        }
        return services.submit_application(**data)

    return make


@pytest.fixture(autouse=True)
def _on_commit_now(monkeypatch: Any) -> None:
    """Run ``transaction.on_commit`` callbacks at once (the test's transaction never commits)."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn()
    )
