from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar

from kring.gatherings import services
from kring.networks.models import Network

pytestmark = pytest.mark.django_db


def _parse(response: Any) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_gathering_ics_has_timezone_and_local_times(
    client: Any, gathering: Any, member: Any
) -> None:
    client.force_login(member)
    cal = _parse(client.get(reverse("gatherings:ics", args=["testnet", gathering.pk])))
    tzs = cal.walk("VTIMEZONE")
    assert [str(t["TZID"]) for t in tzs] == ["Europe/Amsterdam"]
    (event,) = cal.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Amsterdam" and (start.hour, start.minute) == (19, 0)
    assert start == gathering.starts_at
    assert event["SUMMARY"] == "Monthly gathering"
    assert event["STATUS"] == "CONFIRMED"
    assert "Oudegracht" in event["LOCATION"]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"


def test_public_feed_lists_open_gatherings_and_cancellations(
    client: Any, gathering: Any, host: Any
) -> None:
    open_one = services.create_gathering(
        actor=host,
        network=gathering.network,
        title="Open Coffee",
        starts_at=gathering.starts_at + timedelta(days=7),
        ends_at=gathering.ends_at + timedelta(days=7),
        open_to_guests=True,
    )
    cancelled = services.create_gathering(
        actor=host,
        network=gathering.network,
        title="Cancelled Coffee",
        starts_at=gathering.starts_at + timedelta(days=14),
        ends_at=gathering.ends_at + timedelta(days=14),
        open_to_guests=True,
    )
    services.cancel_gathering(actor=host, gathering=cancelled)
    Network.objects.filter(pk=gathering.network_id).update(public_page_enabled=True)
    cal = _parse(client.get("/n/testnet/calendar.ics"))  # no log-in
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Open Coffee", "Cancelled Coffee"}  # members-only one is absent
    assert events["Cancelled Coffee"]["STATUS"] == "CANCELLED"
    assert int(events["Cancelled Coffee"]["SEQUENCE"]) > int(events["Open Coffee"]["SEQUENCE"])
    assert events["Open Coffee"]["UID"] == f"gathering-{open_one.pk}@kring"
    assert client.get("/n/nonexistent/calendar.ics").status_code == 404


def test_private_feed_shows_my_gatherings_and_can_be_reset(
    client: Any, gathering: Any, member: Any, host: Any
) -> None:
    services.answer_rsvp(actor=member, gathering=gathering, answer="going")
    services.create_gathering(
        actor=host,
        network=gathering.network,
        title="Not for me",
        starts_at=gathering.starts_at + timedelta(days=7),
        ends_at=gathering.ends_at + timedelta(days=7),
    )
    old = services.calendar_feed_for(member).token
    cal = _parse(client.get(f"/calendar/{old}.ics"))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Monthly gathering"]
    client.force_login(member)
    client.post(reverse("gatherings:calendar", args=["testnet"]))
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    new = services.calendar_feed_for(member).token
    assert new != old
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    # Someone else leaving the network does not empty my feed; my leaving does.
    from kring.networks.models import Membership

    Membership.objects.filter(user=host).update(status="left")
    cal = _parse(client.get(f"/calendar/{new}.ics"))
    assert len(cal.walk("VEVENT")) == 1
    Membership.objects.filter(user=member).update(status="left")
    assert _parse(client.get(f"/calendar/{new}.ics")).walk("VEVENT") == []
