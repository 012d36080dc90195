"""Date polls: proposing, answering (members and guests), closing, deciding end to end."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from kring.core import antispam
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.gatherings import services as gatherings
from kring.gatherings.models import Gathering
from kring.polls import services
from kring.polls.models import Poll, PollResponse

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as t:
        yield t


def _opts(*days: int, venue: str = "") -> list[services.OptionIn]:
    out = []
    for d in days:
        start = NOW + timedelta(days=d, hours=9)
        out.append(
            services.OptionIn(starts_at=start, ends_at=start + timedelta(hours=2), venue=venue)
        )
    return out


@pytest.fixture
def poll(network: Any, host: Any) -> Poll:
    return services.create_poll(
        actor=host,
        network=network,
        title="Brainstorm",
        options=_opts(3, 4, 5, venue="Café Hoek"),
        closes_at=NOW + timedelta(days=2),
        open_to_guests=True,
    )


def test_bad_polls_refused(network: Any, host: Any, member: Any) -> None:
    with pytest.raises(DomainError, match="between 2 and 8"):
        services.create_poll(actor=host, network=network, title="x", options=_opts(3))
    with pytest.raises(DomainError, match="between 2 and 8"):
        services.create_poll(actor=host, network=network, title="x", options=_opts(*range(1, 10)))
    with pytest.raises(DomainError, match="in the past"):
        services.create_poll(actor=host, network=network, title="x", options=_opts(3, -2))
    with pytest.raises(DomainError, match="twice"):
        services.create_poll(actor=host, network=network, title="x", options=_opts(3, 3))
    with pytest.raises(DomainError, match="close in the future"):
        services.create_poll(
            actor=host, network=network, title="x", options=_opts(3, 4), closes_at=NOW
        )
    with pytest.raises(NotAllowed):
        services.create_poll(actor=member, network=network, title="x", options=_opts(3, 4))
    assert not Poll.objects.exists()


def test_poll_to_gathering_end_to_end(
    client: Any, api_client: Any, network: Any, host: Any, member: Any, poll: Poll
) -> None:
    o1, o2, o3 = poll.options.all()
    # A member through the API.
    r = api_client(member).put(
        f"/api/v1/polls/{poll.pk}/answers",
        {"answers": {str(o1.pk): "no", str(o2.pk): "yes", str(o3.pk): "if_need_be"}},
        content_type="application/json",
    )
    assert r.status_code == 200
    # A guest through the share link.
    url = f"/polls/{poll.share_token}/"
    assert "Brainstorm" in client.get(url).content.decode()
    r = client.post(
        url,
        {
            "name": "Gijs Gast",
            "email": "gijs@example.org",
            f"option_{o2.pk}": "yes",
            f"option_{o3.pk}": "yes",
            "altcha": antispam.solve_challenge(antispam.create_challenge()),
        },
    )
    assert r.status_code == 302 and "/r/" in r["Location"]
    edit_page = client.get(r["Location"]).content.decode()
    assert "Gijs Gast" in edit_page and "Mila Member" in edit_page  # results visible to voters
    totals = api_client(member).get(f"/api/v1/polls/{poll.pk}").json()
    by_id = {o["id"]: o for o in totals["options"]}
    assert by_id[o2.pk]["yes"] == 2 and by_id[o3.pk] == {
        **by_id[o3.pk],
        "yes": 1,
        "if_need_be": 1,
        "no": 0,
    }
    # Members may not decide; the host does.
    r = api_client(member).post(
        f"/api/v1/polls/{poll.pk}/decision", {"option_id": o2.pk}, content_type="application/json"
    )
    assert r.status_code == 403
    mail.outbox.clear()
    r = api_client(host).post(
        f"/api/v1/polls/{poll.pk}/decision", {"option_id": o2.pk}, content_type="application/json"
    )
    assert r.status_code == 201
    g = Gathering.objects.get(pk=r.json()["gathering_id"])
    assert (g.title, g.starts_at, g.venue_name, g.open_to_guests) == (
        "Brainstorm",
        o2.starts_at,
        "Café Hoek",
        True,
    )
    announced = [m for m in mail.outbox if m.subject.startswith(("New: ", "Nieuw: "))]
    assert [m.to[0] for m in announced] == ["member@test.example"]  # the new gathering (#12)
    told = sorted(m.to[0] for m in mail.outbox if m not in announced)
    assert told == ["gijs@example.org", "member@test.example"]
    guest_mail = next(m for m in mail.outbox if m.to == ["gijs@example.org"])
    assert f"/gatherings/{g.pk}/guest/" in guest_mail.body
    # Decided: no more answers, no second decision.
    with pytest.raises(Conflict):
        services.answer_poll(actor=member, poll=poll, answers={str(o1.pk): "yes"})
    r = api_client(host).post(
        f"/api/v1/polls/{poll.pk}/decision", {"option_id": o1.pk}, content_type="application/json"
    )
    assert r.status_code == 409


def test_decision_fills_existing_gathering(network: Any, host: Any) -> None:
    start = NOW + timedelta(days=20)
    g = gatherings.create_gathering(
        actor=host,
        network=network,
        title="Kerstborrel",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    poll = services.create_poll(
        actor=host, network=network, title="Kerstborrel", options=_opts(6, 7), gathering=g
    )
    chosen = poll.options.last()
    result = services.decide_poll(actor=host, poll=poll, option_id=chosen.pk)
    assert result.pk == g.pk and Gathering.objects.count() == 1
    g.refresh_from_db()
    assert g.starts_at == chosen.starts_at


def test_closed_poll_and_bad_answers(
    api_client: Any, network: Any, member: Any, poll: Poll, frozen: Any
) -> None:
    o1 = poll.options.first()
    r = api_client(member).put(
        f"/api/v1/polls/{poll.pk}/answers",
        {"answers": {str(o1.pk): "perhaps"}},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "answers"
    r = api_client(member).put(
        f"/api/v1/polls/{poll.pk}/answers",
        {"answers": {"999999": "yes"}},
        content_type="application/json",
    )
    assert r.status_code == 400
    frozen.shift(timedelta(days=3))
    r = api_client(member).put(
        f"/api/v1/polls/{poll.pk}/answers",
        {"answers": {str(o1.pk): "yes"}},
        content_type="application/json",
    )
    assert r.status_code == 409 and "closed" in r.json()["detail"]
    assert not PollResponse.objects.exists()


def test_guest_answers_once_per_address(poll: Poll) -> None:
    o1 = poll.options.first()
    services.answer_poll_as_guest(
        poll=poll, name="A", email="a@example.org", answers={o1.pk: "yes"}
    )
    with pytest.raises(Conflict):
        services.answer_poll_as_guest(
            poll=poll, name="B", email="A@example.org", answers={o1.pk: "no"}
        )
    with pytest.raises(DomainError):
        services.answer_poll_as_guest(poll=poll, name="", email="c@example.org", answers={})


def test_poll_pages_and_tenancy(
    client: Any,
    api_client: Any,
    network: Any,
    host: Any,
    member: Any,
    other_member: Any,
    poll: Poll,
) -> None:
    assert client.get(f"/n/testnet/polls/{poll.pk}/").status_code == 302  # log in first
    client.force_login(other_member)
    assert client.get(f"/n/testnet/polls/{poll.pk}/").status_code == 404
    assert api_client(other_member).get(f"/api/v1/polls/{poll.pk}").status_code == 404
    client.force_login(member)
    assert client.get("/n/testnet/polls/new/").status_code == 403
    o1 = poll.options.first()
    r = client.post(f"/n/testnet/polls/{poll.pk}/", {f"option_{o1.pk}": "if_need_be"})
    assert r.status_code == 302
    assert PollResponse.objects.get(user=member).answers == {str(o1.pk): "if_need_be"}
    client.force_login(host)
    assert "Brainstorm" in client.get("/n/testnet/polls/").content.decode()
    r = client.post(
        "/n/testnet/polls/new/",
        {"title": "Lunch", "date_1": "2026-12-10", "start_1": "12:00", "end_1": "13:00"},
    )
    assert "between 2 and 8" in r.content.decode()
    r = client.post(
        "/n/testnet/polls/new/",
        {
            "title": "Lunch",
            "date_1": "2026-12-10",
            "start_1": "12:00",
            "end_1": "13:00",
            "date_2": "2026-12-11",
            "start_2": "12:00",
            "end_2": "13:00",
            "venue_2": "Hoek",
        },
    )
    assert r.status_code == 302
    lunch = Poll.objects.get(title="Lunch")
    assert [o.starts_at.astimezone(AMS).hour for o in lunch.options.all()] == [12, 12]
    r = client.post(
        f"/n/testnet/polls/{lunch.pk}/decision/", {"option_id": lunch.options.last().pk}
    )
    assert r.status_code == 302 and "/gatherings/" in r["Location"]
    # A poll not open to guests has no share page.
    assert client.get(f"/polls/{lunch.share_token}/").status_code == 404


def test_bad_polls_through_the_api_and_the_form(
    client: Any, api_client: Any, network: Any, host: Any
) -> None:
    """Issue 13, bad input: one option, options in the past, dates that are not dates: a 4xx
    with the reason, never a 500, and no poll kept."""
    api = api_client(host)

    def option(days: int) -> dict[str, str]:
        start = NOW + timedelta(days=days)
        return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}

    url = "/api/v1/networks/testnet/polls"
    r = api.post(url, {"title": "x", "options": [option(3)]}, content_type="application/json")
    assert r.status_code == 400 and "between 2 and 8" in r.json()["detail"]
    r = api.post(
        url, {"title": "x", "options": [option(3), option(-1)]}, content_type="application/json"
    )
    assert r.status_code == 400 and "in the past" in r.json()["detail"]
    r = api.post(
        url,
        {"title": "x", "options": [option(3), {"starts_at": "next tuesday", "ends_at": "x"}]},
        content_type="application/json",
    )
    assert 400 <= r.status_code < 500
    assert not Poll.objects.exists()
    client.force_login(host)
    r = client.post(
        "/n/testnet/polls/new/",
        {
            "title": "Lunch",
            "date_1": "2026-11-20",
            "start_1": "12:00",
            "end_1": "13:00",
            "date_2": "2026-12-11",
            "start_2": "12:00",
            "end_2": "13:00",
        },
    )
    assert r.status_code == 200 and "in the past" in r.content.decode()
    assert not Poll.objects.exists()


def test_guest_answering_a_closed_poll_is_told_so(client: Any, poll: Poll, frozen: Any) -> None:
    o1 = poll.options.first()
    frozen.shift(timedelta(days=3))  # past closes_at
    r = client.post(
        f"/polls/{poll.share_token}/",
        {
            "name": "Late Lotte",
            "email": "lotte@example.org",
            f"option_{o1.pk}": "yes",
            "altcha": antispam.solve_challenge(antispam.create_challenge()),
        },
    )
    assert r.status_code == 200 and "closed" in r.content.decode()
    assert not PollResponse.objects.exists()
