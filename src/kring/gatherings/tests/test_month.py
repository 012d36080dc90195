"""The gatherings list's Month tab: a calendar grid (Monday first), one query for the month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.gatherings.month import build_month, parse_month
from kring.gatherings.services import cancel_gathering, create_gathering

from .conftest import AMS, NOW

pytestmark = pytest.mark.django_db


def logged_in(user: Any, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def url(network: Any, month: str = "") -> str:
    base = reverse("gatherings:list", args=[network.slug]) + "?view=month"
    return f"{base}&month={month}" if month else base


def plan(host: Any, network: Any, when: datetime, title: str) -> Any:
    return create_gathering(
        actor=host, network=network, title=title, starts_at=when, ends_at=when + timedelta(hours=2)
    )


# --- The pure part ---------------------------------------------------------------------------


def test_parse_month_takes_yyyy_mm_and_nothing_else() -> None:
    today = date(2026, 11, 28)
    assert parse_month("", today) == date(2026, 11, 1)
    assert parse_month(None, today) == date(2026, 11, 1)
    assert parse_month("2027-02", today) == date(2027, 2, 1)
    for bad in ("2027-13", "2027-00", "27-02", "2027/02", "abc", "2027-02-01", "9999-01", "-1-1"):
        assert parse_month(bad, today) is None, bad


def test_weeks_start_on_monday_and_cover_the_month() -> None:
    # December 2026 starts on a Tuesday and ends on a Thursday.
    grid = build_month(date(2026, 12, 1), date(2026, 12, 8), [])
    assert [d.weekday() for d in grid.weekdays] == [0, 1, 2, 3, 4, 5, 6]
    assert grid.weeks[0][0].date == date(2026, 11, 30) and not grid.weeks[0][0].in_month
    assert grid.weeks[-1][-1].date == date(2027, 1, 3)
    days = [d for w in grid.weeks for d in w if d.in_month]
    assert len(days) == 31
    assert [d.date for w in grid.weeks for d in w if d.is_today] == [date(2026, 12, 8)]
    assert (grid.previous, grid.next) == (date(2026, 11, 1), date(2027, 1, 1))
    january = build_month(date(2027, 1, 1), date(2026, 12, 8), [])
    assert january.previous == date(2026, 12, 1)


# --- The page ---------------------------------------------------------------------------------


def test_the_month_shows_its_gatherings_on_their_days(
    network: Any, host: Any, member: Any, frozen: Any
) -> None:
    # NOW is Saturday 28 November 2026, 10:00 in Amsterdam.
    a = plan(host, network, datetime(2026, 11, 30, 19, 30, tzinfo=AMS), "Late in the month")
    b = plan(host, network, datetime(2026, 12, 1, 0, 30, tzinfo=AMS), "Just after midnight")
    page = logged_in(member).get(url(network)).content.decode()
    assert '<h2 id="month-h">November 2026</h2>' in page
    assert f'href="/n/{network.slug}/gatherings/{a.pk}/"' in page
    assert "Just after midnight" not in page  # 1 December local time: next month
    # today is marked (visibly and for screen readers)
    assert 'class=" today" aria-current="date"' in page
    assert '<time datetime="2026-11-28">28</time>' in page
    # prev / next
    assert 'rel="prev" href="/n/testnet/gatherings/?view=month&amp;month=2026-10"' in page
    assert 'rel="next" href="/n/testnet/gatherings/?view=month&amp;month=2026-12"' in page
    december = logged_in(member).get(url(network, "2026-12")).content.decode()
    assert f'href="/n/{network.slug}/gatherings/{b.pk}/"' in december
    assert "00:30" in december
    # the switch says which view is on
    assert 'aria-current="page"><svg' in december


def test_headers_are_the_days_of_the_week_in_dutch_lower_case(
    network: Any, member: Any, frozen: Any
) -> None:
    page = logged_in(member, "nl").get(url(network, "2026-12")).content.decode()
    assert '<th scope="col"><abbr title="maandag">ma</abbr></th>' in page
    assert '<abbr title="zondag">zo</abbr>' in page
    assert "december 2026" in page
    assert "Vorige maand: november 2026" in page


def test_a_cancelled_gathering_says_so(network: Any, host: Any, member: Any, frozen: Any) -> None:
    g = plan(host, network, datetime(2026, 12, 3, 19, 0, tzinfo=AMS), "Called off")
    cancel_gathering(actor=host, gathering=g)
    page = logged_in(member).get(url(network, "2026-12")).content.decode()
    assert 'class="cancelled"' in page and "(cancelled)" in page


@pytest.mark.usefixtures("render_every_request")
def test_the_month_costs_the_same_queries_with_many_gatherings(
    network: Any, host: Any, member: Any, frozen: Any
) -> None:
    client = logged_in(member)
    client.get(url(network, "2026-12"))
    with CaptureQueriesContext(connection) as empty:
        client.get(url(network, "2026-12"))
    for day in range(1, 20):
        plan(host, network, datetime(2026, 12, day, 12, 0, tzinfo=AMS), f"Day {day}")
    with CaptureQueriesContext(connection) as full:
        response = client.get(url(network, "2026-12"))
    table = response.content.decode().split('<table class="month-grid">', 1)[1].split("</table>")[0]
    assert table.count('<li><a href="/n/testnet/gatherings/') == 19
    assert len(full.captured_queries) == len(empty.captured_queries)
    month_queries = [q for q in full.captured_queries if "gatherings_gathering" in q["sql"]]
    assert len(month_queries) == 1


def test_a_month_that_is_not_a_month_is_400(network: Any, member: Any) -> None:
    response = logged_in(member).get(url(network, "2026-13"))
    assert response.status_code == 400
    assert "Choose a month as YYYY-MM" in response.content.decode()


def test_only_members_see_the_month(
    client: Client, network: Any, member: Any, outsider: Any, other_member: Any, host: Any
) -> None:
    assert client.get(url(network)).status_code == 302
    assert logged_in(outsider).get(url(network)).status_code == 404
    assert logged_in(other_member).get(url(network)).status_code == 404
    assert logged_in(member).get(url(network)).status_code == 200
    assert logged_in(host).get(url(network)).status_code == 200


def test_another_networks_gatherings_are_not_in_the_month(
    network: Any, member: Any, other_network: Any, other_member: Any, frozen: Any
) -> None:
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    other_host = UserFactory(email="oh@test.example")
    MembershipFactory(network=other_network, user=other_host, role=Role.HOST)
    plan(other_host, other_network, NOW + timedelta(days=5), "Their secret meeting")
    page = logged_in(member).get(url(network, "2026-12")).content.decode()
    assert "Their secret meeting" not in page
