from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from kring.gatherings import services
from kring.gatherings.models import Gathering

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _json(client: Any, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


def test_every_endpoint_refuses_anonymous_outsiders_and_others(
    api_client: Any, gathering: Any, outsider: Any, other_member: Any
) -> None:
    gid = gathering.pk
    calls = [
        ("get", "/api/v1/networks/testnet/gatherings", None),
        ("post", "/api/v1/networks/testnet/gatherings", {"title": "x"}),
        ("get", f"/api/v1/gatherings/{gid}", None),
        ("patch", f"/api/v1/gatherings/{gid}", {"title": "x"}),
        ("put", f"/api/v1/gatherings/{gid}/rsvp", {"answer": "going"}),
        ("post", f"/api/v1/gatherings/{gid}/agenda-read", None),
        ("get", f"/api/v1/gatherings/{gid}/attendees", None),
        ("post", f"/api/v1/gatherings/{gid}/check-ins", {"member_id": 1}),
        ("post", f"/api/v1/gatherings/{gid}/series/occurrences", {"count": 2}),
        ("patch", f"/api/v1/gatherings/{gid}", {"status": "cancelled"}),
    ]
    anon = api_client()
    for method, path, body in calls:
        assert _json(anon, method, path, body).status_code == 401, path
    for user in (outsider, other_member):
        client = api_client(user)
        for method, path, body in calls:
            status = _json(client, method, path, body).status_code
            assert status in (404, 422), (path, status)
            if (
                body is None
                or method in {"put", "patch"}
                or "check-ins" in path
                or "series" in path
            ):
                assert status == 404, path


def test_member_vs_host_endpoints(
    api_client: Any, gathering: Any, member: Any, host: Any, frozen: Any
) -> None:
    as_member = api_client(member)
    start = (NOW + timedelta(days=3)).isoformat()
    end = (NOW + timedelta(days=3, hours=2)).isoformat()
    body = {"title": "Lunch", "starts_at": start, "ends_at": end, "capacity": 1}
    assert _json(as_member, "post", "/api/v1/networks/testnet/gatherings", body).status_code == 403
    assert (
        _json(as_member, "patch", f"/api/v1/gatherings/{gathering.pk}", {"title": "x"}).status_code
        == 403
    )
    assert (
        _json(
            as_member,
            "post",
            f"/api/v1/gatherings/{gathering.pk}/check-ins",
            {"member_id": member.pk},
        ).status_code
        == 403
    )
    as_host = api_client(host)
    created = _json(
        as_host,
        "post",
        "/api/v1/networks/testnet/gatherings",
        {**body, "venue": "Café Olivier", "open_to_guests": True},
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["venue"] == "Café Olivier" and data["capacity"] == 1 and data["open_to_guests"]
    listed = as_member.get("/api/v1/networks/testnet/gatherings").json()
    assert [g["title"] for g in listed] == ["Lunch", "Monthly gathering"]
    gid = data["id"]
    r = _json(as_member, "put", f"/api/v1/gatherings/{gid}/rsvp", {"answer": "going"})
    assert r.json() == {"status": "going", "waitlist_position": None}
    r = _json(as_host, "put", f"/api/v1/gatherings/{gid}/rsvp", {"answer": "going"})
    assert r.json() == {"status": "waitlisted", "waitlist_position": 1}
    r = _json(as_host, "patch", f"/api/v1/gatherings/{gid}", {"capacity": 0})
    assert r.status_code == 400
    r = _json(as_member, "put", f"/api/v1/gatherings/{gid}/rsvp", {"answer": "nope"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "answer"
    attendees = as_member.get(f"/api/v1/gatherings/{gid}/attendees").json()
    assert [(a["member_id"], a["status"], a["waitlist_position"]) for a in attendees] == [
        (member.pk, "going", None),
        (host.pk, "waitlisted", 1),
    ]
    r = _json(as_host, "post", f"/api/v1/gatherings/{gid}/check-ins", {"member_id": host.pk})
    assert r.status_code == 409  # waitlisted, not coming
    r = _json(as_host, "post", f"/api/v1/gatherings/{gid}/check-ins", {"member_id": member.pk})
    assert r.status_code == 200 and r.json()["checked_in_at"]


def test_create_bad_input(api_client: Any, network: Any, host: Any, frozen: Any) -> None:
    client = api_client(host)
    past = {
        "title": "Old",
        "starts_at": (NOW - timedelta(days=1)).isoformat(),
        "ends_at": NOW.isoformat(),
    }
    r = _json(client, "post", "/api/v1/networks/testnet/gatherings", past)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "starts_at"
    inverted = {
        "title": "Odd",
        "starts_at": (NOW + timedelta(days=2)).isoformat(),
        "ends_at": (NOW + timedelta(days=1)).isoformat(),
    }
    r = _json(client, "post", "/api/v1/networks/testnet/gatherings", inverted)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "ends_at"
    naive = {"title": "Naive", "starts_at": "2026-12-10T19:00:00", "ends_at": "2026-12-10T21:00:00"}
    r = _json(client, "post", "/api/v1/networks/testnet/gatherings", naive)
    assert r.status_code == 400
    assert not Gathering.objects.exists()


def test_patch_and_agenda_read(api_client: Any, gathering: Any, host: Any, member: Any) -> None:
    as_host = api_client(host)
    r = _json(
        as_host,
        "patch",
        f"/api/v1/gatherings/{gathering.pk}",
        {"title": "Renamed", "venue": "Elders"},
    )
    assert r.status_code == 200 and r.json()["title"] == "Renamed"
    assert r.json()["venue"] == "Elders"
    as_member = api_client(member)
    r = as_member.post(f"/api/v1/gatherings/{gathering.pk}/agenda-read")
    assert r.status_code == 409  # not published yet
    services.add_agenda_item(actor=host, gathering=gathering, title="Welcome")
    services.publish_agenda(actor=host, gathering=gathering)
    r = as_member.post(f"/api/v1/gatherings/{gathering.pk}/agenda-read")
    assert r.status_code == 200 and r.json()["read_at"]
    services.answer_rsvp(actor=member, gathering=gathering, answer="going")
    rows = as_member.get(f"/api/v1/gatherings/{gathering.pk}/attendees").json()
    assert rows[0]["agenda_read"] is True


def test_cancel_and_extend_a_series_through_the_api(
    api_client: Any, network: Any, host: Any, member: Any, frozen: Any
) -> None:
    from django.core import mail

    start = NOW + timedelta(days=3)
    first = services.create_gathering(
        actor=host,
        network=network,
        title="Weekly",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        recurrence="weekly",
        occurrence_count=2,
    )
    as_member, as_host = api_client(member), api_client(host)
    extend = f"/api/v1/gatherings/{first.pk}/series/occurrences"
    patch = f"/api/v1/gatherings/{first.pk}"
    assert _json(as_member, "post", extend, {"count": 2}).status_code == 403
    assert _json(as_member, "patch", patch, {"status": "cancelled"}).status_code == 403
    r = _json(as_host, "post", extend, {"count": 0})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "count"
    r = _json(as_host, "post", extend, {"count": 2})
    assert r.status_code == 201
    assert [g["series_id"] for g in r.json()] == [first.series_id] * 2
    assert r.json()[0]["starts_at"] < r.json()[1]["starts_at"]
    assert Gathering.objects.filter(series=first.series).count() == 4
    for bad in ({"status": "scheduled"}, {"status": "cancelled", "title": "x"}):
        assert _json(as_host, "patch", patch, bad).status_code == 400
    assert _json(as_host, "patch", patch, {"status": "cancelled", "scope": "x"}).status_code == 400
    assert not Gathering.objects.filter(status="cancelled").exists()
    mail.outbox.clear()
    r = _json(as_host, "patch", patch, {"status": "cancelled", "scope": "series"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert Gathering.objects.filter(series=first.series, status="cancelled").count() == 4
    assert len([m for m in mail.outbox if m.to == [member.email]]) == 1
    assert (
        _json(as_host, "patch", patch, {"status": "cancelled", "scope": "series"}).status_code
        == 409
    )
    # A gathering on its own: scope "one" cancels just it; it has no series to extend.
    single = services.create_gathering(
        actor=host,
        network=network,
        title="Los",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    assert (
        _json(
            as_host, "post", f"/api/v1/gatherings/{single.pk}/series/occurrences", {"count": 2}
        ).status_code
        == 400
    )
    r = _json(as_host, "patch", f"/api/v1/gatherings/{single.pk}", {"status": "cancelled"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
