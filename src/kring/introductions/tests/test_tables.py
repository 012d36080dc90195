from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.core.errors import DomainError
from kring.introductions import selectors, services
from kring.introductions.models import Participant, RoundKind

pytestmark = pytest.mark.django_db

from kring.gatherings import models as gatherings  # noqa: E402


@pytest.fixture
def gathering(crowd: dict[str, Any], network: Any) -> Any:
    start = timezone.now() + timedelta(days=3)
    g = gatherings.Gathering.objects.create(
        network=network,
        title="Maandelijkse kring",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    for key in ("host", "member", "bram", "anna", "carl"):
        gatherings.Rsvp.objects.create(gathering=g, user=crowd[key], status="going")
    return g


def test_table_plan_seats_the_people_going(
    crowd: dict[str, Any], network: Any, gathering: Any
) -> None:
    round_ = services.start_round(
        actor=crowd["host"],
        network=network,
        kind=RoundKind.TABLES,
        gathering_id=gathering.pk,
        table_size=3,
        rotations=2,
        seed=1,
    )
    seated = Participant.objects.filter(round=round_)
    assert seated.filter(rotation=0).count() == 5 and seated.filter(rotation=1).count() == 5
    assert not seated.filter(user=crowd["dina"]).exists()  # not going
    sizes = [i.participants.count() for i in round_.introductions.filter(rotation=0)]
    assert max(sizes) - min(sizes) <= 1


def test_table_plan_refusals(
    crowd: dict[str, Any], network: Any, other_network: Any, gathering: Any
) -> None:
    with pytest.raises(DomainError):
        services.start_round(
            actor=crowd["host"],
            network=network,
            kind="tables",
            gathering_id=gathering.pk,
            table_size=1,
            rotations=2,
        )
    with pytest.raises(DomainError):
        services.start_round(
            actor=crowd["host"],
            network=network,
            kind="tables",
            gathering_id=gathering.pk,
            table_size=4,
            rotations=0,
        )
    gathering.network = other_network
    gathering.save()
    with pytest.raises(DomainError):
        services.start_round(
            actor=crowd["host"],
            network=network,
            kind="tables",
            gathering_id=gathering.pk,
            table_size=4,
            rotations=2,
        )


def test_shared_tables_count_when_both_checked_in(
    crowd: dict[str, Any], network: Any, gathering: Any
) -> None:
    round_ = services.start_round(
        actor=crowd["host"],
        network=network,
        kind="tables",
        gathering_id=gathering.pk,
        table_size=5,
        rotations=1,
    )
    services.publish_round(actor=crowd["host"], round_=round_)
    assert selectors.acquaintance_coverage(network)["pairs_met"] == 0
    gatherings.Rsvp.objects.filter(
        gathering=gathering, user__in=[crowd["member"], crowd["bram"]]
    ).update(checked_in_at=timezone.now())
    assert selectors.acquaintance_sources(network)["tables"] == {
        frozenset((crowd["member"].pk, crowd["bram"].pk))
    }


def test_tables_api_and_print_view(
    api_client: Any, client: Any, crowd: dict[str, Any], gathering: Any
) -> None:
    response = api_client(crowd["host"]).post(
        "/api/v1/networks/testnet/introduction-rounds",
        {"kind": "tables", "gathering_id": gathering.pk, "table_size": 3, "rounds": 2},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "tables" and data["rotations"] == 2
    assert sum(len(g["members"]) for g in data["groups"]) == 10
    client.force_login(crowd["host"])
    url = reverse(
        "introductions:tables", kwargs={"slug": "testnet", "round_id": data["id"], "mode": "print"}
    )
    page = client.get(url).content.decode()
    assert "table-card" in page and "Rotation 2" in page
    # members see a table plan only once it is published
    client.force_login(crowd["member"])
    assert client.get(url).status_code == 404
    api_client(crowd["host"]).post(f"/api/v1/introduction-rounds/{data['id']}/publish")
    assert client.get(url).status_code == 200
