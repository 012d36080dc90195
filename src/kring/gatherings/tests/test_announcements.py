"""Issue 12, item 4: a new gathering is announced with one-click answers (a GET answers
nothing), and those going are reminded the day before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from kring.gatherings.answer_links import answer_token
from kring.gatherings.models import Rsvp, RsvpStatus
from kring.gatherings.services import create_gathering
from kring.gatherings.tasks import day_before_due, send_day_before

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(
    network: Any, host: Any, member: Any, frozen: Any, django_capture_on_commit_callbacks: Any
) -> Any:
    start = NOW + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        g = create_gathering(
            actor=host,
            network=network,
            title="Q&A met O'Brien",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue_name="De Werkplaats",
            online_url="https://meet.example.org/kring",
        )
    return g


def _link(body: str, label: str) -> str:
    line = next(x for x in body.splitlines() if x.startswith(label + ":"))
    return line.split("://", 1)[1].split("/", 1)[1]


def test_members_hear_of_a_new_gathering_and_answer_in_one_click(
    client: Any, announced: Any, member: Any
) -> None:
    [m] = mail.outbox  # the member; not the host who created it
    assert m.to == ["member@test.example"]
    assert m.subject.startswith("New: Q&A met O'Brien")
    assert "De Werkplaats" in m.body and "https://meet.example.org/kring" in m.body
    assert "The agenda follows" in m.body
    path = "/" + _link(m.body, "Going")
    page = client.get(path)  # a mail scanner prefetching the link
    assert page.status_code == 200 and b"Yes: going" in page.content
    assert not Rsvp.objects.exists()
    assert client.post(path).status_code == 200
    assert Rsvp.objects.get(user=member).status == RsvpStatus.GOING
    not_going = "/" + _link(m.body, "Not going")
    client.post(not_going)
    assert Rsvp.objects.get(user=member).status == RsvpStatus.NOT_GOING


def test_forged_or_foreign_answer_links_do_nothing(
    client: Any, announced: Any, member: Any, other_member: Any
) -> None:
    assert client.post("/answer/forged/").status_code == 400
    tampered = answer_token(member, announced, "going")[:-3] + "abc"
    assert client.post(f"/answer/{tampered}/").status_code == 400
    # a valid token for someone outside the network cannot answer for them
    r = client.post(f"/answer/{answer_token(other_member, announced, 'going')}/")
    assert r.status_code == 404  # one policy: outside the network it is not there
    assert not Rsvp.objects.exists()


def test_the_day_before_those_going_get_address_and_online_link(
    announced: Any, member: Any, host: Any, time_machine: Any
) -> None:
    Rsvp.objects.create(gathering=announced, user=member, status=RsvpStatus.GOING)
    Rsvp.objects.create(gathering=announced, user=host, status=RsvpStatus.NOT_GOING)
    mail.outbox.clear()
    early = announced.starts_at - timedelta(hours=30)
    assert day_before_due(early) == 0
    due = announced.starts_at - timedelta(hours=23, minutes=30)
    assert day_before_due(due) == 1  # tasks run at once in tests
    [m] = mail.outbox
    assert m.to == ["member@test.example"]
    assert m.subject == "Tomorrow: Q&A met O'Brien"
    assert "De Werkplaats" in m.body and "https://meet.example.org/kring" in m.body
    assert day_before_due(due + timedelta(minutes=1)) == 0  # already sent
    send_day_before.call(announced.pk)  # a retried task
    assert len(mail.outbox) == 1
