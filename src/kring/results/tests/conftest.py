from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch: Any) -> None:
    """Tests run inside one transaction: run after-commit work (tasks, mail) right away."""
    monkeypatch.setattr("kring.core.tasks.transaction.on_commit", lambda fn, *a, **k: fn())


@pytest.fixture
def public_network(network: Any) -> Any:
    network.public_page_enabled = True
    network.save(update_fields=["public_page_enabled"])
    return network


@pytest.fixture
def make_objective(host: Any, network: Any) -> Any:
    from kring.results import services

    def make(**kw: Any) -> Any:
        kw.setdefault("title", "Coaching hours")
        kw.setdefault("target", Decimal(100))
        kw.setdefault("period_start", date(2026, 1, 1))
        kw.setdefault("period_end", date(2026, 12, 31))
        return services.create_objective(
            actor=kw.pop("actor", host), network=kw.pop("network", network), **kw
        )

    return make


@pytest.fixture
def help_request(public_network: Any, host: Any) -> Any:
    from kring.results.requests.services import submit_request

    return submit_request(
        network=public_network,
        name="Sanne Starter",
        email="sanne@x.example",
        need="Help with my bookkeeping",
        tags="boekhouding, website",
    )
