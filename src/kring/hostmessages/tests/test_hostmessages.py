"""Hosts write to their members: audiences, preview, limits, bad input, privacy, one mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.gatherings.models import AgendaRead, Gathering, Rsvp, RsvpStatus
from kring.hostmessages import services, tasks
from kring.hostmessages.models import HostMessage
from kring.networks.tests.factories import MembershipFactory
from kring.notify.services import set_preferences
from kring.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/networks/testnet/host-messages"


def _gathering(network: Any) -> Gathering:
    start = timezone.now() + timedelta(days=5)
    return Gathering.objects.create(
        network=network, title="Q&A avond", starts_at=start, ends_at=start + timedelta(hours=2)
    )


@pytest.fixture
def people(network: Any, host: Any, member: Any) -> dict[str, Any]:
    """member: going, read the agenda · bo: going, not read · cy: maybe · di: no answer."""
    out = {"member": member}
    names = {"bo": "Bo Bakker", "cy": "Cy Claes", "di": "Di Dekker"}
    for name, display in names.items():
        out[name] = UserFactory(email=f"{name}@test.example", profile__display_name=display)
        MembershipFactory(network=network, user=out[name])
    g = _gathering(network)
    Rsvp.objects.create(gathering=g, user=member, status=RsvpStatus.GOING)
    Rsvp.objects.create(gathering=g, user=out["bo"], status=RsvpStatus.GOING)
    Rsvp.objects.create(gathering=g, user=out["cy"], status=RsvpStatus.MAYBE)
    AgendaRead.objects.create(gathering=g, user=member)
    out["gathering"] = g
    return out


def _post(c: Any, capture: Any, **data: Any) -> Any:
    body = {"audience": "all", "gathering_id": None, "subject": "Hoi", "body": "Tot snel"} | data
    with capture(execute=True):
        return c.post(URL, body, content_type="application/json")


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("all", {"member", "bo", "cy", "di"}),
        ("going", {"member", "bo"}),
        ("not_answered", {"di"}),
        ("agenda_unread", {"bo"}),
    ],
)
def test_audiences_reach_the_right_people_once(
    api_client: Any,
    host: Any,
    people: dict[str, Any],
    audience: str,
    expected: set[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    g = people["gathering"]
    r = _post(
        api_client(host),
        django_capture_on_commit_callbacks,
        audience=audience,
        gathering_id=g.pk,
        subject="Q&A met O'Brien",
    )
    assert r.status_code == 201, r.content
    emails = {f"{n}@test.example" for n in expected} - {"member@test.example"}
    emails |= {"member@test.example"} if "member" in expected else set()
    assert r.json()["recipients"] == len(expected)
    assert {m.to[0] for m in mail.outbox} == emails
    assert all(m.subject == "Test network: Q&A met O'Brien" for m in mail.outbox)
    # a retried task mails nobody twice
    tasks.deliver_host_message.call(r.json()["id"])
    assert len(mail.outbox) == len(expected)


def test_members_cannot_send_and_strangers_see_nothing(
    api_client: Any,
    member: Any,
    outsider: Any,
    other_member: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert _post(api_client(member), django_capture_on_commit_callbacks).status_code == 403
    for user in (outsider, other_member):
        assert _post(api_client(user), django_capture_on_commit_callbacks).status_code == 404
    assert _post(api_client(), django_capture_on_commit_callbacks).status_code == 401
    assert not HostMessage.objects.exists() and mail.outbox == []


def test_bad_input_is_a_clear_4xx_and_nothing_is_stored(
    api_client: Any,
    host: Any,
    people: dict[str, Any],
    other_network: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    c = api_client(host)
    theirs = _gathering(other_network)
    cases = [
        ({"subject": ""}, 400, "subject"),
        ({"subject": "   "}, 400, "subject"),
        ({"subject": "x" * 151}, 400, "subject"),
        ({"body": ""}, 400, "body"),
        ({"body": "x" * 5001}, 400, "body"),
        ({"audience": "everyone"}, 422, "audience"),
        ({"audience": "going"}, 400, "gathering"),
        ({"audience": "going", "gathering_id": theirs.pk}, 404, "gathering"),
        ({"audience": "all", "gathering_id": 999999}, 404, "gathering"),
        ({"subject": None}, 422, "subject"),
    ]
    for data, status, field in cases:
        r = _post(c, django_capture_on_commit_callbacks, **data)
        assert r.status_code == status, (data, r.content)
        assert r.json()["detail"]
        assert field in str(r.json()["errors"]), (data, r.json())
    assert not HostMessage.objects.exists() and mail.outbox == []


def test_a_daily_limit_per_network(
    api_client: Any, host: Any, member: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HOST_MESSAGES_PER_DAY = 2
    c = api_client(host)
    assert _post(c, django_capture_on_commit_callbacks).status_code == 201
    assert _post(c, django_capture_on_commit_callbacks).status_code == 201
    r = _post(c, django_capture_on_commit_callbacks)
    assert r.status_code == 429
    assert "2" in r.json()["detail"]
    assert HostMessage.objects.count() == 2


def test_members_read_what_was_sent_to_them(
    client: Any, host: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    g = people["gathering"]
    with django_capture_on_commit_callbacks(execute=True):
        services.send_host_message(
            actor=host,
            network=g.network,
            audience="going",
            gathering=g,
            subject="Naar Bo",
            body="Zie https://example.org/route",
        )
    index = reverse("hostmessages:index", kwargs={"slug": "testnet"})
    client.force_login(people["bo"])
    page = client.get(index)
    assert b"Naar Bo" in page.content
    assert b'href="https://example.org/route"' in page.content  # links clickable
    client.force_login(people["di"])
    assert b"Naar Bo" not in client.get(index).content  # not addressed to di
    assert len(mail.outbox) == 2


def test_each_member_s_choice_is_respected(
    network: Any, host: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    set_preferences(actor=people["bo"], choices={"host_message": {"email": "daily"}})
    set_preferences(actor=people["cy"], choices={"host_message": {"email": "off"}})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_host_message(
            actor=host,
            network=network,
            audience="all",
            gathering=None,
            subject="Hallo",
            body="Allemaal",
        )
    assert {m.to[0] for m in mail.outbox} == {"member@test.example", "di@test.example"}


def test_the_write_page_previews_then_sends(
    client: Any,
    host: Any,
    member: Any,
    people: dict[str, Any],
    outsider: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("hostmessages:write", kwargs={"slug": "testnet"})
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(host)
    assert client.get(url).status_code == 200
    g = people["gathering"]
    data = {"audience": "going", "gathering": g.pk, "subject": "Praktisch", "body": "Fietsen"}
    page = client.post(url, {**data, "preview": "1"})
    assert page.status_code == 200
    assert b"2 people will get this" in page.content or b"2 mensen krijgen dit" in page.content
    assert b"Bo Bakker" in page.content and b"Di Dekker" not in page.content
    assert not HostMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**data, "send": "1"})
    assert sent.status_code == 302
    assert HostMessage.objects.get().recipient_count == 2
    empty = client.post(url, {**data, "subject": "", "send": "1"})
    assert empty.status_code == 400
    assert HostMessage.objects.count() == 1
