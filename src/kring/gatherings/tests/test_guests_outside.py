"""Guests, the door, hybrid gatherings and the guest contribution (issue 13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.gatherings import selectors, services
from kring.gatherings.models import Rsvp, RsvpStatus
from kring.ledger.integration import attendee_count
from kring.networks.models import Invitation

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _open(network: Any, host: Any, *, days: int = 10, **kwargs: Any) -> Any:
    start = NOW + timedelta(days=days)
    return services.create_gathering(
        actor=host,
        network=network,
        title=kwargs.pop("title", "Open Coffee"),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        open_to_guests=True,
        **kwargs,
    )


def _guest(g: Any, name: str, email: str, *, consent: bool = False, online: bool = False) -> Rsvp:
    r = services.register_guest(gathering=g, name=name, email=email, consent=consent, online=online)
    return services.confirm_guest(rsvp=r)


def test_consent_respected_in_lists_and_api(
    frozen: Any, network: Any, host: Any, member: Any, api_client: Any
) -> None:
    g = _open(network, host)
    yes = _guest(g, "Yara", "yara@example.org", consent=True)
    _guest(g, "Noor", "noor@example.org", consent=False)
    assert yes.guest_consent_at == NOW
    rows = {r["name"]: r for r in selectors.gathering_guests(g)}
    assert rows["Yara"]["email"] == "yara@example.org" and rows["Noor"]["email"] is None
    r = api_client(host).get(f"/api/v1/gatherings/{g.pk}/guests")
    assert r.status_code == 200
    body = {row["name"]: row for row in r.json()}
    assert body["Noor"] == {"name": "Noor", "email": None, "status": "going", "visits": 1}
    assert body["Yara"]["email"] == "yara@example.org"
    assert api_client(member).get(f"/api/v1/gatherings/{g.pk}/guests").status_code == 403
    html = _host_client(host).get(f"/n/testnet/gatherings/{g.pk}/guests/").content.decode()
    assert "yara@example.org" in html and "noor@example.org" not in html
    html = _host_client(host).get("/n/testnet/gatherings/guests/").content.decode()
    assert "yara@example.org" in html and "noor@example.org" not in html


def _host_client(host: Any) -> Any:
    from django.test import Client

    c = Client()
    c.force_login(host)
    return c


def test_return_visits_across_gatherings_and_invite(
    frozen: Any, network: Any, host: Any, settings: Any
) -> None:
    first = _open(network, host, days=3)
    second = _open(network, host, days=10, title="Brainstorm")
    _guest(first, "Fien", "fien@example.org", consent=True)
    _guest(second, "Fien V.", "FIEN@example.org", consent=True)
    _guest(second, "Once", "once@example.org")
    people = {p["email"] or p["name"]: p for p in selectors.network_guests(network)}
    fien = people["fien@example.org"]
    assert fien["visits"] == 2 and fien["name"] == "Fien V."
    assert fien["first_visit"] == first.starts_at and fien["last_visit"] == second.starts_at
    assert people["Once"]["visits"] == 1 and people["Once"]["email"] is None
    assert selectors.gathering_guests(second)[0]["visits"] in (1, 2)
    # One click invites a guest who gave consent; not one who did not.
    services.invite_guest(actor=host, network=network, email="fien@example.org")
    assert Invitation.objects.filter(email="fien@example.org").exists()
    with pytest.raises(NotAllowed):
        services.invite_guest(actor=host, network=network, email="once@example.org")
    with pytest.raises(Conflict):
        services.invite_guest(actor=host, network=network, email="fien@example.org")


def test_walk_in_checked_in_counted_and_in_door_list(
    frozen: Any, network: Any, host: Any, member: Any, api_client: Any
) -> None:
    g = _open(network, host, capacity=1)
    services.answer_rsvp(actor=member, gathering=g, answer="going")
    r = api_client(host).post(
        f"/api/v1/gatherings/{g.pk}/walk-ins",
        {"name": "Walter Walk-in", "email": None, "consent": False},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["checked_in"] is True
    walk = Rsvp.objects.get(pk=r.json()["id"])
    assert walk.walk_in and walk.status == RsvpStatus.GOING and walk.checked_in_at
    g.refresh_from_db()
    assert (g.capacity, g.seats_taken) == (2, 2)  # full room: it took one more
    assert attendee_count(g) == 1
    services.check_in(actor=host, gathering=g, user_id=member.pk)
    assert attendee_count(g) == 2
    r = api_client(member).post(
        f"/api/v1/gatherings/{g.pk}/walk-ins", {"name": "X"}, content_type="application/json"
    )
    assert r.status_code == 403
    r = api_client(host).post(
        f"/api/v1/gatherings/{g.pk}/walk-ins", {"name": "  "}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "name"
    client = _host_client(host)
    html = client.get(f"/n/testnet/gatherings/{g.pk}/checkin/").content.decode()
    assert "Walter Walk-in" in html and "Mila Member" in html
    html = client.get(f"/n/testnet/gatherings/{g.pk}/checkin/?q=walt").content.decode()
    assert "Walter Walk-in" in html and "Mila Member" not in html
    r = client.post(f"/n/testnet/gatherings/{g.pk}/checkin/walk-in/", {"name": ""}, follow=True)
    assert "This field is required" in r.content.decode()
    r = client.post(
        f"/n/testnet/gatherings/{g.pk}/checkin/walk-in/",
        {"name": "Wies", "email": "wies@example.org", "consent": "on"},
    )
    assert r.status_code == 302
    wies = Rsvp.objects.get(guest_email="wies@example.org")
    assert wies.checked_in_at and wies.has_consent


def test_walk_in_who_signed_up_is_checked_in_not_doubled(
    frozen: Any, network: Any, host: Any
) -> None:
    g = _open(network, host, capacity=5)
    signed = _guest(g, "Sam", "sam@example.org")
    r = services.add_walk_in(actor=host, gathering=g, name="Sam", email="SAM@example.org")
    assert r.pk == signed.pk and r.checked_in_at
    g.refresh_from_db()
    assert g.seats_taken == 1


def test_full_gathering_says_waitlist_up_front(
    frozen: Any, client: Any, network: Any, host: Any, member: Any
) -> None:
    g = _open(network, host, capacity=1)
    html = client.get(f"/n/testnet/gatherings/{g.pk}/guest/").content.decode()
    assert "1 place left" in html and "Full" not in html
    services.answer_rsvp(actor=member, gathering=g, answer="going")
    html = client.get(f"/n/testnet/gatherings/{g.pk}/guest/").content.decode()
    assert "Full — sign up for the waitlist" in html
    assert "Sign up for the waitlist</button>" in html
    assert "0 places left" not in html


def test_hybrid_online_never_takes_a_seat(
    frozen: Any, network: Any, host: Any, member: Any, make_member: Any, api_client: Any
) -> None:
    g = _open(network, host, capacity=1, mode="hybrid", online_url="https://meet.example/x")
    other = make_member(email="o@test.example")
    services.answer_rsvp(actor=other, gathering=g, answer="going")
    r = api_client(member).put(
        f"/api/v1/gatherings/{g.pk}/rsvp", {"answer": "online"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "online"
    guest = _guest(g, "Otto", "otto@example.org", online=True)
    assert guest.status == RsvpStatus.ONLINE
    g.refresh_from_db()
    assert g.seats_taken == 1
    # Going -> online frees the seat for the waitlist.
    waiting = make_member(email="w@test.example")
    services.answer_rsvp(actor=waiting, gathering=g, answer="going")
    services.answer_rsvp(actor=other, gathering=g, answer="online")
    assert Rsvp.objects.get(gathering=g, user=waiting).status == RsvpStatus.GOING
    # In person only: 409 with a reason.
    plain = _open(network, host, title="Plain")
    r = api_client(member).put(
        f"/api/v1/gatherings/{plain.pk}/rsvp", {"answer": "online"}, content_type="application/json"
    )
    assert r.status_code == 409 and "in person only" in r.json()["detail"]


def test_join_online_records_attendance(frozen: Any, network: Any, host: Any, member: Any) -> None:
    g = _open(network, host, days=1, mode="online", online_url="https://meet.example/x")
    with pytest.raises(Conflict, match="half an hour"):
        services.join_online(actor=member, gathering=g)
    frozen.move_to(g.starts_at + timedelta(minutes=5))
    client = _host_client(member)
    r = client.post(f"/n/testnet/gatherings/{g.pk}/join/")
    assert r.status_code == 302 and r["Location"] == "https://meet.example/x"
    rsvp = Rsvp.objects.get(gathering=g, user=member)
    assert rsvp.status == RsvpStatus.ONLINE and rsvp.checked_in_at
    assert member.pk in selectors.checked_in_user_ids(g)  # counts where check-ins count
    assert attendee_count(g) == 1


def test_guest_joins_online_with_link(frozen: Any, client: Any, network: Any, host: Any) -> None:
    g = _open(network, host, days=1, mode="hybrid", online_url="https://meet.example/y")
    r = services.register_guest(gathering=g, name="Gaby", email="gaby@example.org", online=True)
    token = services.guest_link_token(r)
    services.confirm_guest(rsvp=r)
    frozen.move_to(g.starts_at)
    resp = client.post(f"/guests/{token}/join/")
    assert resp.status_code == 302 and resp["Location"] == "https://meet.example/y"
    assert Rsvp.objects.get(pk=r.pk).checked_in_at


def test_mode_and_contribution_rules_and_api(
    frozen: Any, network: Any, host: Any, api_client: Any
) -> None:
    with pytest.raises(DomainError, match="online link"):
        _open(network, host, mode="hybrid")
    with pytest.raises(DomainError, match="between"):
        _open(network, host, guest_contribution_cents=500_000)
    start = (NOW + timedelta(days=4)).isoformat()
    end = (NOW + timedelta(days=4, hours=2)).isoformat()
    r = api_client(host).post(
        "/api/v1/networks/testnet/gatherings",
        {
            "title": "Hybride sessie",
            "starts_at": start,
            "ends_at": end,
            "mode": "hybrid",
            "online_url": "https://meet.example/z",
            "guest_contribution_cents": 500,
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    assert (body["mode"], body["guest_contribution_cents"], body["contribution_method"]) == (
        "hybrid",
        500,
        "door",
    )
    r = api_client(host).patch(
        f"/api/v1/gatherings/{body['id']}",
        {"mode": "in_person", "guest_contribution_cents": 0},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["mode"], r.json()["guest_contribution_cents"]) == ("in_person", 0)
    r = api_client(host).post(
        "/api/v1/networks/testnet/gatherings",
        {"title": "x", "starts_at": start, "ends_at": end, "mode": "moon"},
        content_type="application/json",
    )
    assert r.status_code == 422


def test_contribution_on_guest_page(frozen: Any, client: Any, network: Any, host: Any) -> None:
    g = _open(network, host, guest_contribution_cents=750, contribution_method="transfer")
    html = client.get(f"/n/testnet/gatherings/{g.pk}/guest/").content.decode()
    assert "Guest contribution:" in html and "7.50" in html and "by bank transfer" in html
    assert not mail.outbox


def test_follow_up_thanks_only_guests_who_came_with_consent(
    frozen: Any, network: Any, host: Any, settings: Any
) -> None:
    from kring.gatherings.follow_up import follow_up_due

    settings.LANGUAGE_CODE = "en"
    network.language = "en"
    network.save()
    g = _open(network, host, days=1, follow_up_guests=True)
    came = _guest(g, "Came", "came@example.org", consent=True)
    _guest(g, "No consent", "quiet@example.org", consent=False)
    _guest(g, "Stayed home", "home@example.org", consent=True)
    services.check_in(actor=host, gathering=g, rsvp_id=came.pk)
    no_consent = Rsvp.objects.get(guest_email="quiet@example.org")
    services.check_in(actor=host, gathering=g, rsvp_id=no_consent.pk)
    mail.outbox.clear()
    assert follow_up_due(g.ends_at) == 0  # not yet: an hour after the end
    frozen.move_to(g.ends_at + timedelta(hours=2))
    assert follow_up_due(g.ends_at + timedelta(hours=2)) == 1
    assert [m.to for m in mail.outbox] == [["came@example.org"]]
    assert "Thanks for coming" in mail.outbox[0].subject
    assert follow_up_due(g.ends_at + timedelta(hours=3)) == 0  # once
    assert len(mail.outbox) == 1


def test_growth_funnel_counts_followers_and_returning_guests(
    frozen: Any, network: Any, host: Any
) -> None:
    from kring.commitment.selectors import funnel
    from kring.public.models import Follower

    Follower.objects.create(
        network=network, email="f@example.org", token="f" * 20, confirmed_at=NOW
    )
    Follower.objects.create(network=network, email="p@example.org", token="p" * 20)
    first = _open(network, host, days=1)
    second = _open(network, host, days=2, title="Again")
    for g in (first, second):
        r = _guest(g, "Back", "back@example.org")
        services.check_in(actor=host, gathering=g, rsvp_id=r.pk)
    data = funnel(network, now=NOW + timedelta(days=5))
    assert (data["followers"], data["followers_pending"]) == (1, 1)
    assert (data["guests_came"], data["guests_returned"]) == (1, 1)


def test_walk_in_bad_input_is_refused_clearly_and_nothing_is_kept(
    frozen: Any, network: Any, host: Any, api_client: Any
) -> None:
    """Issue 13, bad input: a walk-in without a name (blank, or only spaces), with a broken
    address, or with a name too long for the form: a form error or a 4xx with the field, no
    500, and no half-made walk-in."""
    g = _open(network, host)
    api = api_client(host)
    url = f"/api/v1/gatherings/{g.pk}/walk-ins"
    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "\t "}, "name"),
        ({"name": "Wim", "email": "wim@"}, "email"),
    ]:
        r = api.post(url, body, content_type="application/json")
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == field, body
    assert api.post(url, {}, content_type="application/json").status_code in (400, 422)
    client = _host_client(host)
    r = client.post(
        f"/n/testnet/gatherings/{g.pk}/checkin/walk-in/",
        {"name": "Wim", "email": "wim@"},
        follow=True,
    )
    assert r.status_code == 200 and "Enter a valid email address" in r.content.decode()
    r = client.post(
        f"/n/testnet/gatherings/{g.pk}/checkin/walk-in/", {"name": "W" * 121}, follow=True
    )
    assert r.status_code == 200 and "at most 120 characters" in r.content.decode()
    assert not Rsvp.objects.filter(gathering=g).exists()
    g.refresh_from_db()
    assert g.seats_taken == 0
