"""Check-ins made at the door without a connection, sent in one batch when back online."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kring.core.audit import AuditEntry
from kring.gatherings import services
from kring.gatherings.models import Rsvp, RsvpStatus

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(gathering: Any, member: Any, make_member: Any, frozen: Any) -> dict[str, Any]:
    """The gathering is tonight; the member and two more are going."""
    frozen.move_to(gathering.starts_at - timedelta(minutes=10))
    people = [member, make_member(), make_member()]
    rsvps = [
        services.answer_rsvp(actor=p, gathering=gathering, answer="going").rsvp for p in people
    ]
    return {"gathering": gathering, "people": people, "rsvps": rsvps}


def _batch(client: Any, gathering: Any, items: list[dict[str, Any]]) -> Any:
    return client.post(
        f"/api/v1/gatherings/{gathering.pk}/check-ins/batch",
        data=json.dumps({"check_ins": items}),
        content_type="application/json",
    )


def _item(client_id: str, rsvp: Any, at: Any = None) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "rsvp_id": rsvp.pk,
        "checked_in_at": (at or timezone.now()).isoformat(),
    }


def test_a_batch_checks_people_in_at_the_moment_they_were_ticked(
    api_client: Any, host: Any, door: dict[str, Any]
) -> None:
    g, (a, b, _c) = door["gathering"], door["rsvps"]
    ticked = timezone.now() - timedelta(minutes=3)
    response = _batch(api_client(host), g, [_item("one", a, ticked), _item("two", b)])
    assert response.status_code == 200, response.content
    data = response.json()
    assert {r["client_id"]: r["status"] for r in data["results"]} == {
        "one": "checked_in",
        "two": "checked_in",
    }
    assert (data["checked"], data["total"]) == (2, 3)
    a.refresh_from_db()
    assert a.checked_in_at == ticked and a.checked_in_by == host
    assert AuditEntry.objects.filter(verb="gathering.checked_in").count() == 2


def test_duplicates_are_saved_once_and_every_client_id_is_answered(
    api_client: Any, host: Any, door: dict[str, Any]
) -> None:
    g, a = door["gathering"], door["rsvps"][0]
    client = api_client(host)
    early = timezone.now() - timedelta(minutes=5)
    first = _batch(client, g, [_item("x1", a), _item("x2", a, early)]).json()
    assert sorted(r["status"] for r in first["results"]) == ["already", "checked_in"]
    a.refresh_from_db()
    assert a.checked_in_at == early  # the earlier tick is when they arrived
    # The phone did not hear the answer and sends the same batch again: nothing changes.
    again = _batch(client, g, [_item("x1", a), _item("x2", a, early)]).json()
    assert [r["status"] for r in again["results"]] == ["already", "already"]
    assert again["checked"] == 1
    a.refresh_from_db()
    assert a.checked_in_at == early
    assert AuditEntry.objects.filter(verb="gathering.checked_in").count() == 1


def test_someone_who_cancelled_meanwhile_is_recorded_as_attended_with_a_note(
    api_client: Any, host: Any, door: dict[str, Any]
) -> None:
    g, person, rsvp = door["gathering"], door["people"][1], door["rsvps"][1]
    ticked = timezone.now()
    services.answer_rsvp(actor=person, gathering=g, answer="not_going")  # while offline
    g.refresh_from_db()
    seats_before = g.seats_taken
    data = _batch(api_client(host), g, [_item("c1", rsvp, ticked)]).json()
    (result,) = data["results"]
    assert result["status"] == "restored"
    assert "cancelled" in result["note"] and person.display_name in result["note"]
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.GOING and rsvp.checked_in_at == ticked
    g.refresh_from_db()
    assert g.seats_taken == seats_before + 1
    assert AuditEntry.objects.filter(verb="gathering.restored_at_door").exists()


def test_a_full_room_takes_one_more_for_someone_who_came_anyway(
    api_client: Any, host: Any, door: dict[str, Any], make_member: Any
) -> None:
    g, person, rsvp = door["gathering"], door["people"][0], door["rsvps"][0]
    g.capacity = 3
    g.save(update_fields=["capacity"])
    services.answer_rsvp(actor=person, gathering=g, answer="not_going")
    newcomer = make_member()
    services.answer_rsvp(actor=newcomer, gathering=g, answer="going")  # takes the free seat
    result = _batch(api_client(host), g, [_item("c1", rsvp)]).json()["results"][0]
    assert result["status"] == "restored"
    g.refresh_from_db()
    assert (g.capacity, g.seats_taken) == (4, 4)
    assert Rsvp.objects.filter(gathering=g, status=RsvpStatus.GOING).count() == 4


def test_someone_on_the_waiting_list_meanwhile_gets_the_waitlist_note(
    host: Any, door: dict[str, Any]
) -> None:
    g, rsvp = door["gathering"], door["rsvps"][2]
    Rsvp.objects.filter(pk=rsvp.pk).update(status=RsvpStatus.WAITLISTED, waitlist_number=7)
    outcome = services.sync_check_ins(
        actor=host, gathering=g, items=[services.OfflineCheckIn("w", rsvp.pk, timezone.now())]
    )
    assert outcome.results[0].status == "restored"
    assert "waiting list" in outcome.results[0].note
    rsvp.refresh_from_db()
    assert (rsvp.status, rsvp.waitlist_number) == (RsvpStatus.GOING, None)


def test_an_answer_that_no_longer_exists_is_reported_not_dropped(
    api_client: Any, host: Any, door: dict[str, Any]
) -> None:
    g, a, b = door["gathering"], door["rsvps"][0], door["rsvps"][1]
    gone = b.pk
    b.delete()
    data = _batch(
        api_client(host), g, [_item("ok", a), {"client_id": "gone", "rsvp_id": gone}]
    ).json()
    results = {r["client_id"]: r for r in data["results"]}
    assert results["ok"]["status"] == "checked_in"
    assert results["gone"]["status"] == "missing" and "walk-in" in results["gone"]["note"]


def test_a_phone_clock_in_the_future_or_far_past_is_not_believed(
    host: Any, door: dict[str, Any]
) -> None:
    g, a, b = door["gathering"], door["rsvps"][0], door["rsvps"][1]
    now = timezone.now()
    services.sync_check_ins(
        actor=host,
        gathering=g,
        items=[
            services.OfflineCheckIn("future", a.pk, now + timedelta(days=2)),
            services.OfflineCheckIn("past", b.pk, now - timedelta(days=30)),
        ],
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.checked_in_at == now
    assert b.checked_in_at == g.starts_at - timedelta(hours=12)


def test_a_cancelled_gathering_takes_no_check_ins(
    api_client: Any, host: Any, door: dict[str, Any]
) -> None:
    g, a = door["gathering"], door["rsvps"][0]
    services.cancel_gathering(actor=host, gathering=g)
    response = _batch(api_client(host), g, [_item("late", a)])
    assert response.status_code == 409
    assert response.json()["detail"] == "This gathering is cancelled."
    a.refresh_from_db()
    assert a.checked_in_at is None


def test_outsiders_get_404_and_members_403(
    api_client: Any,
    member: Any,
    outsider: Any,
    other_member: Any,
    door: dict[str, Any],
) -> None:
    g, a = door["gathering"], door["rsvps"][0]
    assert _batch(api_client(outsider), g, [_item("o", a)]).status_code == 404
    assert _batch(api_client(other_member), g, [_item("o", a)]).status_code == 404
    assert _batch(api_client(member), g, [_item("m", a)]).status_code == 403
    assert _batch(api_client(None), g, [_item("n", a)]).status_code == 401
    a.refresh_from_db()
    assert a.checked_in_at is None


def test_another_networks_answer_is_missing_not_checked_in(
    api_client: Any, host: Any, door: dict[str, Any], other_network: Any, other_member: Any
) -> None:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory

    MembershipFactory(network=other_network, user=host, role=Role.HOST)
    theirs = services.create_gathering(
        actor=host,
        network=other_network,
        title="Elsewhere",
        starts_at=NOW + timedelta(days=10, hours=9),
        ends_at=NOW + timedelta(days=10, hours=11),
    )
    their_rsvp = services.answer_rsvp(actor=other_member, gathering=theirs, answer="going").rsvp
    data = _batch(api_client(host), door["gathering"], [_item("x", their_rsvp)]).json()
    assert data["results"][0]["status"] == "missing"
    their_rsvp.refresh_from_db()
    assert their_rsvp.checked_in_at is None


@pytest.mark.parametrize(
    "body",
    [
        {"check_ins": [{"client_id": "", "rsvp_id": 1}]},
        {"check_ins": [{"client_id": "x" * 65, "rsvp_id": 1}]},
        {"check_ins": [{"client_id": "a\u0000b", "rsvp_id": 1}]},
        {"check_ins": [{"client_id": "a", "rsvp_id": 2**70}]},
        {"check_ins": [{"client_id": "a", "rsvp_id": "one"}]},
        {"check_ins": [{"client_id": "a", "rsvp_id": 1, "checked_in_at": "yesterday"}]},
        {"check_ins": [{"client_id": str(i), "rsvp_id": 1} for i in range(1001)]},
        {"nothing": []},
    ],
)
def test_bad_batches_are_refused_with_422(
    api_client: Any, host: Any, door: dict[str, Any], body: dict[str, Any]
) -> None:
    response = api_client(host).post(
        f"/api/v1/gatherings/{door['gathering'].pk}/check-ins/batch",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_the_browser_session_may_sync_with_its_csrf_token(host: Any, door: dict[str, Any]) -> None:
    from django.test import Client

    g, a = door["gathering"], door["rsvps"][0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(host)
    url = f"/api/v1/gatherings/{g.pk}/check-ins/batch"
    body = json.dumps({"check_ins": [_item("s", a)]})
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.get(f"/n/testnet/gatherings/{g.pk}/checkin/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.checked_in_at is not None


def test_the_door_list_is_kept_offline_and_carries_what_the_script_needs(
    client: Any, host: Any, door: dict[str, Any]
) -> None:
    g, a = door["gathering"], door["rsvps"][0]
    client.force_login(host)
    response = client.get(f"/n/testnet/gatherings/{g.pk}/checkin/")
    assert response["X-Kring-Offline"] == "keep"
    html = response.content.decode()
    assert f'data-sync="/api/v1/gatherings/{g.pk}/check-ins/batch"' in html
    assert f'data-rsvp="{a.pk}"' in html
    assert 'id="door-texts" type="application/json"' in html
    assert "/static/gatherings/door.js" in html
    # A search shows part of the list: that page is not the one kept.
    searched = client.get(f"/n/testnet/gatherings/{g.pk}/checkin/?q=zz")
    assert "X-Kring-Offline" not in searched


def test_the_worker_keeps_the_door_script_from_the_start(client: Any) -> None:
    assert "/static/gatherings/door.js" in client.get("/sw.js").content.decode()
