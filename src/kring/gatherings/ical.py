"""iCalendar (RFC 5545) output with the icalendar library: events with VTIMEZONE."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Gathering

PRODID = "-//Kring//Gatherings//EN"


def _event(g: Gathering) -> Event:
    tz = g.network.tzinfo
    ev = Event()
    ev.add("uid", f"gathering-{g.pk}@kring")
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", timezone.localtime(g.starts_at, tz))
    ev.add("dtend", timezone.localtime(g.ends_at, tz))
    ev.add("summary", g.title)
    ev.add("sequence", g.sequence)
    ev.add("last-modified", g.updated_at)
    url = settings.SITE_URL + reverse(
        "gatherings:detail", kwargs={"slug": g.network.slug, "gathering_id": g.pk}
    )
    ev.add("url", url)
    description = g.description
    if g.online_url:
        description = f"{description}\n\n{g.online_url}".strip()
    if description:
        ev.add("description", description)
    location = ", ".join(p for p in [g.venue_name, g.venue_address] if p)
    if location:
        ev.add("location", location)
    ev.add("status", "CANCELLED" if g.is_cancelled else "CONFIRMED")
    return ev


def calendar_for(gatherings: Iterable[Gathering], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    events = [_event(g) for g in gatherings]
    for ev in events:
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
