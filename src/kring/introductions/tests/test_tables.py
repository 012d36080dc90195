from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

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


# --- guests and walk-ins at the tables (issue 13, item 2) ---------------------------------


def _guest(g: Any, name: str, **kwargs: Any) -> Any:
    email = kwargs.pop("email", f"{name.split()[0].lower()}@example.net")
    return gatherings.Rsvp.objects.create(
        gathering=g, guest_name=name, guest_email=email, status=kwargs.pop("status", "going")
    )


def _plan(crowd: dict[str, Any], network: Any, g: Any, size: int = 4, rotations: int = 2) -> Any:
    return services.start_round(
        actor=crowd["host"],
        network=network,
        kind=RoundKind.TABLES,
        gathering_id=g.pk,
        table_size=size,
        rotations=rotations,
        seed=1,
    )


@pytest.fixture
def with_guests(crowd: dict[str, Any], gathering: Any) -> dict[str, Any]:
    from kring.gatherings import services as gathering_services

    return {
        "gijs": _guest(gathering, "Gijs Gast"),
        "greet": _guest(gathering, "Greet Gast"),
        "wanda": gathering_services.add_walk_in(
            actor=crowd["host"], gathering=gathering, name="Wanda Walk-in"
        ),
        "unconfirmed": _guest(gathering, "Otto Onbevestigd", status="unconfirmed"),
        "not_going": _guest(gathering, "Nina Niet", status="not_going"),
    }


def test_table_plan_seats_guests_and_walk_ins_spread_over_the_tables(
    crowd: dict[str, Any], network: Any, gathering: Any, with_guests: dict[str, Any]
) -> None:
    round_ = _plan(crowd, network, gathering)  # 5 members + 3 guests: 2 tables of 4
    coming = {with_guests[k].pk for k in ("gijs", "greet", "wanda")}
    for rotation in (0, 1):
        seats = Participant.objects.filter(round=round_, rotation=rotation)
        assert {s.guest_id for s in seats if s.guest_id} == coming
        assert seats.filter(user__isnull=False).count() == 5
        per_table = [
            i.participants.filter(guest__isnull=False).count()
            for i in round_.introductions.filter(rotation=rotation)
        ]
        assert sorted(per_table) == [1, 2]  # never all three at one table
    # guests have no reasons: the stored details are about member pairs only
    for intro in round_.introductions.all():
        for item in intro.details:
            assert all(isinstance(uid, int) for uid in item["pair"])


def test_a_plan_of_guests_alone_and_the_refusal_below_two(
    crowd: dict[str, Any], network: Any, gathering: Any
) -> None:
    gatherings.Rsvp.objects.filter(gathering=gathering).delete()
    _guest(gathering, "Gijs Gast")
    with pytest.raises(DomainError, match="At least two people"):
        _plan(crowd, network, gathering)
    _guest(gathering, "Greet Gast")
    round_ = _plan(crowd, network, gathering, size=2, rotations=1)
    assert Participant.objects.filter(round=round_, guest__isnull=False).count() == 2


def test_a_seat_is_a_member_or_a_guest_never_both_or_neither(
    crowd: dict[str, Any], network: Any, gathering: Any, with_guests: dict[str, Any]
) -> None:
    from django.db import IntegrityError, transaction

    round_ = _plan(crowd, network, gathering)
    intro = round_.introductions.first()
    for extra in ({"user": crowd["dina"], "guest": with_guests["gijs"]}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Participant.objects.create(introduction=intro, round=round_, rotation=9, **extra)
    with pytest.raises(IntegrityError), transaction.atomic():  # a guest once per rotation
        Participant.objects.create(
            introduction=intro, round=round_, rotation=0, guest=with_guests["gijs"]
        )


def test_guests_on_the_plan_page_cards_screen_and_api(
    api_client: Any,
    client: Any,
    crowd: dict[str, Any],
    network: Any,
    gathering: Any,
    with_guests: dict[str, Any],
) -> None:
    round_ = _plan(crowd, network, gathering)
    client.force_login(crowd["host"])
    badge = '<span class="badge info">guest</span>'
    for url in (
        reverse("introductions:round", kwargs={"slug": "testnet", "round_id": round_.pk}),
        reverse(
            "introductions:tables",
            kwargs={"slug": "testnet", "round_id": round_.pk, "mode": "print"},
        ),
        reverse(
            "introductions:tables",
            kwargs={"slug": "testnet", "round_id": round_.pk, "mode": "screen"},
        ),
    ):
        page = client.get(url).content.decode()
        assert f"Wanda Walk-in {badge}" in page and f"Gijs Gast {badge}" in page, url
        assert page.count(badge) == 6  # three guests in two rotations
        assert "Otto Onbevestigd" not in page and "gijs@example.net" not in page
    data = api_client(crowd["host"]).get(f"/api/v1/introduction-rounds/{round_.pk}").json()
    group = data["groups"][0]
    assert set(group) >= {"id", "rotation", "table", "members", "score", "reasons", "details"}
    assert all(set(m) == {"id", "display_name"} for g in data["groups"] for m in g["members"])
    assert sum(len(g["members"]) for g in data["groups"]) == 10  # members only, as before
    seated = sorted(
        (g["rotation"], x["name"], x["walk_in"]) for g in data["groups"] for x in g["guests"]
    )
    assert seated == [
        (r, name, name == "Wanda Walk-in")
        for r in (0, 1)
        for name in ("Gijs Gast", "Greet Gast", "Wanda Walk-in")
    ]
    assert {x["id"] for g in data["groups"] for x in g["guests"]} == {
        with_guests[k].pk for k in ("gijs", "greet", "wanda")
    }


def test_a_walk_in_after_the_plan_is_added_to_a_table(
    client: Any, crowd: dict[str, Any], network: Any, gathering: Any, with_guests: dict[str, Any]
) -> None:
    from kring.gatherings import services as gathering_services

    round_ = _plan(crowd, network, gathering)  # tables of 4 and 4
    services.publish_round(actor=crowd["host"], round_=round_)
    late = gathering_services.add_walk_in(
        actor=crowd["host"], gathering=gathering, name="Lotte Laat"
    )
    with translation.override("en"):
        assert selectors.not_seated(round_) == [(f"guest:{late.pk}", "Lotte Laat (walk-in)")]
    client.force_login(crowd["host"])
    url = reverse("introductions:round", kwargs={"slug": "testnet", "round_id": round_.pk})
    page = client.get(url).content.decode()
    assert "Add to a table" in page and "Lotte Laat (walk-in)" in page
    action = reverse(
        "introductions:round_action",
        kwargs={"slug": "testnet", "round_id": round_.pk, "action": "seat"},
    )
    r = client.post(action, {"person": f"guest:{late.pk}", "table": ""}, follow=True)
    assert "Seated in every rotation." in r.content.decode()
    seats = Participant.objects.filter(round=round_, guest=late)
    assert seats.count() == 2 and {s.rotation for s in seats} == {0, 1}
    for seat in seats:  # the table with fewer guests among the two of four
        tables = round_.introductions.filter(rotation=seat.rotation)
        assert sorted(t.participants.filter(guest__isnull=False).count() for t in tables) == [2, 2]
        assert seat.introduction.participants.count() == 5
    assert selectors.not_seated(round_) == []
    assert "Add to a table" not in client.get(url).content.decode()
    # seating them again, or someone who is not coming, is refused with a reason
    r = client.post(action, {"person": f"guest:{late.pk}"}, follow=True)
    assert "Choose someone who is coming and has no seat yet." in r.content.decode()
    assert Participant.objects.filter(round=round_, guest=late).count() == 2


def test_seat_api_chosen_table_members_and_refusals(
    api_client: Any,
    crowd: dict[str, Any],
    network: Any,
    gathering: Any,
    with_guests: dict[str, Any],
) -> None:
    from kring.gatherings import services as gathering_services

    round_ = _plan(crowd, network, gathering)
    host, url = api_client(crowd["host"]), f"/api/v1/introduction-rounds/{round_.pk}/seats"
    late = gathering_services.add_walk_in(
        actor=crowd["host"], gathering=gathering, name="Lotte Laat"
    )
    r = host.post(url, {"guest_id": late.pk, "table": 1}, content_type="application/json")
    assert r.status_code == 200, r.content
    at = sorted(
        (g["rotation"], g["table"])
        for g in r.json()["groups"]
        for x in g["guests"]
        if x["id"] == late.pk
    )
    assert at == [(0, 1), (1, 1)]
    r = host.post(url, {"guest_id": late.pk}, content_type="application/json")
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "person"
    for body, field in [
        ({"guest_id": with_guests["unconfirmed"].pk}, "person"),
        ({"guest_id": with_guests["not_going"].pk}, "person"),
        ({"user_id": crowd["dina"].pk}, "person"),  # a member not going
        ({"guest_id": late.pk, "user_id": crowd["dina"].pk}, "person"),
        ({}, "person"),
    ]:
        r = host.post(url, body, content_type="application/json")
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == field, body
    # a member who said "going" after the plan was made: seated, and the table's score counts them
    gatherings.Rsvp.objects.create(gathering=gathering, user=crowd["dina"], status="going")
    r = host.post(url, {"user_id": crowd["dina"].pk, "table": 5}, content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "table"
    r = host.post(url, {"user_id": crowd["dina"].pk}, content_type="application/json")
    assert r.status_code == 200
    assert Participant.objects.filter(round=round_, user=crowd["dina"]).count() == 2
    member = api_client(crowd["member"])
    other = gathering_services.add_walk_in(actor=crowd["host"], gathering=gathering, name="Olga")
    assert (
        member.post(url, {"guest_id": other.pk}, content_type="application/json").status_code == 403
    )


def test_guests_never_count_as_acquaintance_or_engagement(
    crowd: dict[str, Any], network: Any, gathering: Any, with_guests: dict[str, Any]
) -> None:
    round_ = _plan(crowd, network, gathering, size=8, rotations=1)  # one table: everyone met
    services.publish_round(actor=crowd["host"], round_=round_)
    gatherings.Rsvp.objects.filter(gathering=gathering, status="going").update(
        checked_in_at=timezone.now()
    )
    members = {crowd[k].pk for k in ("host", "member", "bram", "anna", "carl")}
    pairs = selectors.acquaintance_sources(network)["tables"]
    assert len(pairs) == 10 and all(p <= members for p in pairs)
    assert all(None not in p for p in selectors.last_met_order(network))
    from kring.commitment.sources import introductions

    assert set(introductions(network, round_.created_at)) == members
