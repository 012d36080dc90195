from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.gatherings import services
from kring.gatherings.models import ActionItem, ByoItem, Gathering, Rsvp

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["detail", "ics"]
HOST_PAGES = ["edit", "agenda", "checkin", "minutes"]
MEMBER_POSTS = ["rsvp", "agenda_read", "self_checkin", "comment"]
HOST_POSTS = ["cancel", "agenda_publish", "byo_add", "action_add"]


def url(name: str, g: Any, **kw: Any) -> str:
    return reverse(
        f"gatherings:{name}", kwargs={"slug": g.network.slug, "gathering_id": g.pk, **kw}
    )


def test_network_pages_permissions(
    client: Any, network: Any, host: Any, member: Any, outsider: Any, other_member: Any, frozen: Any
) -> None:
    for name in ["list", "calendar"]:
        target = reverse(f"gatherings:{name}", args=[network.slug])
        client.logout()
        assert client.get(target).status_code == 302
        for user in (outsider, other_member):
            client.force_login(user)
            assert client.get(target).status_code == 404
        client.force_login(member)
        assert client.get(target).status_code == 200
    client.force_login(member)
    assert client.get(reverse("gatherings:new", args=[network.slug])).status_code == 403
    client.force_login(host)
    assert client.get(reverse("gatherings:new", args=[network.slug])).status_code == 200


def test_gathering_pages_permissions(
    client: Any, gathering: Any, host: Any, member: Any, outsider: Any, other_member: Any
) -> None:
    for name in MEMBER_PAGES + HOST_PAGES:
        assert client.get(url(name, gathering)).status_code == 302, name
    for name in MEMBER_POSTS + HOST_POSTS:
        assert client.post(url(name, gathering)).status_code == 302, name
    for user in (outsider, other_member):
        client.force_login(user)
        for name in MEMBER_PAGES + HOST_PAGES:
            assert client.get(url(name, gathering)).status_code == 404, name
        for name in MEMBER_POSTS + HOST_POSTS:
            assert client.post(url(name, gathering)).status_code == 404, name
    client.force_login(member)
    for name in MEMBER_PAGES:
        assert client.get(url(name, gathering)).status_code == 200, name
    for name in HOST_PAGES:
        assert client.get(url(name, gathering)).status_code == 403, name
    for name in HOST_POSTS:
        assert client.post(url(name, gathering)).status_code == 403, name
    client.force_login(host)
    for name in MEMBER_PAGES + HOST_PAGES:
        assert client.get(url(name, gathering)).status_code == 200, name
    assert not Gathering.objects.filter(status="cancelled").exists()


@pytest.mark.usefixtures("render_every_request")
def test_list_query_count_is_constant(
    client: Any,
    network: Any,
    host: Any,
    member: Any,
    gathering: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(member)
    target = reverse("gatherings:list", args=[network.slug])
    with django_assert_max_num_queries(20) as small:
        assert client.get(target).status_code == 200
    for i in range(8):
        g = services.create_gathering(
            actor=host,
            network=network,
            title=f"Extra {i}",
            starts_at=gathering.starts_at + timedelta(days=i + 1),
            ends_at=gathering.ends_at + timedelta(days=i + 1),
        )
        services.answer_rsvp(actor=member, gathering=g, answer="going")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(target).status_code == 200


@pytest.mark.usefixtures("render_every_request")
def test_detail_query_count_is_bounded(
    client: Any, gathering: Any, host: Any, make_member: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        u = make_member()
        services.answer_rsvp(actor=u, gathering=gathering, answer="going" if i % 2 else "maybe")
        services.post_comment(actor=u, gathering=gathering, body=f"Message {i}")
        services.add_action_item(actor=host, gathering=gathering, title=f"Do {i}", owner=u)
    client.force_login(host)
    with django_assert_max_num_queries(30):
        assert client.get(url("detail", gathering)).status_code == 200


def test_new_gathering_form_uses_network_time_zone(
    client: Any, network: Any, host: Any, frozen: Any
) -> None:
    network.time_zone = "America/New_York"
    network.save()
    client.force_login(host)
    response = client.post(
        reverse("gatherings:new", args=[network.slug]),
        {
            "title": "Breakfast",
            "starts_at": "2026-12-10T08:00",
            "ends_at": "2026-12-10T09:30",
            "capacity": "12",
            "recurrence": "",
        },
    )
    assert response.status_code == 302
    g = Gathering.objects.get()
    assert g.starts_at.isoformat() == "2026-12-10T13:00:00+00:00"


def test_new_gathering_bad_input_saves_nothing(
    client: Any, network: Any, host: Any, frozen: Any
) -> None:
    client.force_login(host)
    response = client.post(
        reverse("gatherings:new", args=[network.slug]),
        {
            "title": "Late",
            "starts_at": "2026-12-10T20:00",
            "ends_at": "2026-12-10T19:00",
        },
    )
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert not Gathering.objects.exists()


def test_member_flow_read_rsvp_and_host_checks_in_with_htmx(
    client: Any, gathering: Any, host: Any, member: Any
) -> None:
    services.add_agenda_item(actor=host, gathering=gathering, title="Pitches")
    services.publish_agenda(actor=host, gathering=gathering)
    client.force_login(member)
    page = client.get(url("detail", gathering)).content.decode()
    assert "I have read the agenda" in page
    client.post(url("agenda_read", gathering))
    client.post(url("rsvp", gathering), {"answer": "going"})
    r = client.post(url("rsvp", gathering), {"answer": "going"}, follow=True)
    assert "You had already given this answer." in r.content.decode()
    assert Rsvp.objects.get(user=member).status == "going"
    client.force_login(host)
    page = client.get(url("detail", gathering)).content.decode()
    assert "1 of 1 going have read it." in page
    rsvp = Rsvp.objects.get(user=member)
    response = client.post(url("checkin", gathering), {"rsvp": rsvp.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="rsvp-{rsvp.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert 'id="checked-count" role="status" hx-swap-oob="true">1 of 1 checked in' in (
        response.content.decode()
    )
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None


def test_byo_actions_minutes_discussion_pages(
    client: Any, gathering: Any, host: Any, member: Any
) -> None:
    client.force_login(host)
    client.post(url("byo_add", gathering), {"label": "Beamer"})
    client.post(url("minutes", gathering), {"minutes": "## Besloten\n<script>x</script>"})
    client.post(url("action_add", gathering), {"title": "Mail slides", "owner": member.pk})
    item = ByoItem.objects.get()
    action = ActionItem.objects.get()
    client.force_login(member)
    client.post(url("byo_action", gathering, item_id=item.pk, action="claim"))
    client.post(url("action_toggle", gathering, item_id=action.pk), {"done": "1"})
    client.post(url("comment", gathering), {"body": "Tot **dan**!"})
    page = client.get(url("detail", gathering)).content.decode()
    assert "<strong>dan</strong>" in page
    assert "<script>x</script>" not in page and "<h2>Besloten</h2>" in page
    item.refresh_from_db()
    action.refresh_from_db()
    assert item.claimed_by == member and action.status == "done"
    assert (
        client.post(url("byo_action", gathering, item_id=item.pk, action="remove")).status_code
        == 403
    )


def test_guest_signup_confirm_and_cancel(
    client: Any, gathering: Any, host: Any, solved: Any
) -> None:
    signup = url("guest_signup", gathering)
    assert client.get(signup).status_code == 404  # not open to guests
    services.update_gathering(actor=host, gathering=gathering, data={"open_to_guests": True})
    assert client.get(signup).status_code == 200
    mail.outbox.clear()
    response = client.post(
        signup, {"name": "Gijs Gast", "email": "gijs@example.org", "altcha": solved()}
    )
    assert "Check your e-mail" in response.content.decode()
    body = mail.outbox[0].body
    path = next(line for line in body.splitlines() if "/confirm/" in line)
    path = path[path.index("/guests/") :]
    assert client.get(path).status_code == 200
    assert Rsvp.objects.get().status == "unconfirmed"  # GET changes nothing
    client.post(path)
    assert Rsvp.objects.get().status == "going"
    cancel = path.replace("/confirm/", "/cancel/")
    client.post(cancel)
    assert Rsvp.objects.get().status == "not_going"
    assert client.get("/guests/nonsense/confirm/").status_code == 404


def test_agenda_upload_rejects_wrong_type(client: Any, gathering: Any, host: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(host)
    response = client.post(
        url("agenda", gathering),
        {
            "title": "Slides",
            "prep_file": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert "This kind of file is not accepted" in response.content.decode()
    assert not gathering.agenda_items.exists()


def test_home_panel_shows_next_gathering(client: Any, gathering: Any, member: Any) -> None:
    client.force_login(member)
    page = client.get(reverse("net:home", args=[gathering.network.slug])).content.decode()
    assert "Next gathering" in page and gathering.title in page


def test_checkin_bad_input_is_a_clear_refusal(
    client: Any, gathering: Any, host: Any, member: Any
) -> None:
    services.update_gathering(actor=host, gathering=gathering, data={"open_to_guests": True})
    guest = services.register_guest(gathering=gathering, name="G", email="g@example.org")
    client.force_login(host)
    for bad in ["", "abc", "999999"]:  # missing, malformed, not of this gathering
        r = client.post(url("checkin", gathering), {"rsvp": bad}, HTTP_HX_REQUEST="true")
        assert r.status_code == 409, bad
    # An unconfirmed guest: the row comes back with the reason in a live region.
    r = client.post(url("checkin", gathering), {"rsvp": guest.pk}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200
    assert f'id="rsvp-{guest.pk}"' in html and 'role="alert"' in html
    assert "G is not on the list of people going." in html
    assert f'aria-describedby="rsvp-{guest.pk}-error"' in html
    guest.refresh_from_db()
    assert guest.checked_in_at is None
    # Without JavaScript: POST-redirect-GET, and the reason as a message on the door list.
    r = client.post(url("checkin", gathering), {"rsvp": guest.pk}, follow=True)
    assert r.redirect_chain[-1][0] == url("checkin", gathering)
    assert "G is not on the list of people going." in r.content.decode()
    guest.refresh_from_db()
    assert guest.checked_in_at is None


def test_item_level_pages_permissions(
    client: Any,
    gathering: Any,
    host: Any,
    member: Any,
    outsider: Any,
    other_member: Any,
    settings: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = services.add_agenda_item(
        actor=host,
        gathering=gathering,
        title="Slides",
        prep_file=SimpleUploadedFile("s.pdf", b"%PDF-1.4 x"),
    )
    byo = services.add_byo_item(actor=host, gathering=gathering, label="Beamer")
    action = services.add_action_item(actor=host, gathering=gathering, title="Mail", owner=host)
    gets = [url("agenda_file", gathering, item_id=item.pk)]
    posts = [
        url("agenda_item_action", gathering, item_id=item.pk, action="up"),
        url("byo_action", gathering, item_id=byo.pk, action="claim"),
        url("action_toggle", gathering, item_id=action.pk),
        reverse("gatherings:discussion_emails", args=[gathering.network.slug]),
    ]
    for target in gets + posts:
        method = client.get if target in gets else client.post
        assert method(target).status_code == 302, target
    for user in (outsider, other_member):
        client.force_login(user)
        for target in gets + posts:
            method = client.get if target in gets else client.post
            assert method(target).status_code == 404, target
    client.force_login(member)
    assert client.get(gets[0]).status_code == 404  # agenda still a draft
    assert client.post(posts[0]).status_code == 403  # host only
    client.post(posts[2], {"done": "1"})  # not the owner: refused with a message
    action.refresh_from_db()
    assert action.status == "open"
    services.publish_agenda(actor=host, gathering=gathering)
    response = client.get(gets[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_guest_signup_spam_protection(client: Any, gathering: Any, host: Any, solved: Any) -> None:
    services.update_gathering(actor=host, gathering=gathering, data={"open_to_guests": True})
    signup = url("guest_signup", gathering)
    page = client.get(signup).content.decode()
    assert "data-altcha" in page and "results/altcha.js" in page and 'name="website"' in page
    mail.outbox.clear()
    typed = {"name": "Gijs Gast", "email": "gijs@example.org"}
    # Without JavaScript: no proof of work. A clear message, and what was typed stays.
    page = client.post(signup, typed).content.decode()
    assert "It needs JavaScript" in page
    assert 'value="Gijs Gast"' in page and 'value="gijs@example.org"' in page
    assert not Rsvp.objects.exists() and not mail.outbox
    # A filled honeypot: the bot sees the thank-you text, nothing is stored or sent.
    page = client.post(
        signup, {**typed, "website": "http://spam.example", "altcha": solved()}
    ).content.decode()
    assert "Check your e-mail" in page
    assert not Rsvp.objects.exists() and not mail.outbox
    # A solved challenge cannot be used twice.
    payload = solved()
    client.post(signup, {**typed, "altcha": payload})
    assert Rsvp.objects.count() == 1
    page = client.post(
        signup, {"name": "Ander", "email": "ander@example.org", "altcha": payload}
    ).content.decode()
    assert "already used" in page and 'value="ander@example.org"' in page
    assert Rsvp.objects.count() == 1
    # Per-address rate limit: the fourth sign-up from one address within the hour is refused.
    for _ in range(2):
        client.post(signup, {**typed, "altcha": solved()})
    page = client.post(signup, {**typed, "altcha": solved()}).content.decode()
    assert "Too many requests" in page


def _link(message: Any, marker: str = "/guests/") -> str:
    """The path of the first link in an e-mail that contains ``marker``."""
    line = next(line for line in message.body.splitlines() if marker in line)
    return line[line.index("/guests/") :].strip()


def test_every_guest_email_has_a_working_link(
    client: Any, gathering: Any, host: Any, member: Any
) -> None:
    from datetime import timedelta

    services.update_gathering(
        actor=host, gathering=gathering, data={"open_to_guests": True, "capacity": 1}
    )
    services.answer_rsvp(actor=member, gathering=gathering, answer="going")
    mail.outbox.clear()
    services.register_guest(gathering=gathering, name="Gijs Gast", email="gijs@example.org")
    confirm = _link(mail.outbox[-1], "/confirm/")
    client.post(confirm)
    guest = Rsvp.objects.get(guest_email="gijs@example.org")
    assert guest.status == "waitlisted"
    # The member gives up the seat: the guest is promoted and gets a link to their page.
    mail.outbox.clear()
    services.answer_rsvp(actor=member, gathering=gathering, answer="not_going")
    promoted = next(m for m in mail.outbox if m.to == ["gijs@example.org"])
    page_link = _link(promoted)
    page = client.get(page_link)
    assert page.status_code == 200
    assert "your place is confirmed" in page.content.decode()
    # A time change reaches the guest too, with the same working link.
    mail.outbox.clear()
    services.update_gathering(
        actor=host,
        gathering=gathering,
        data={
            "starts_at": gathering.starts_at + timedelta(hours=1),
            "ends_at": gathering.ends_at + timedelta(hours=1),
        },
    )
    changed = next(m for m in mail.outbox if m.to == ["gijs@example.org"])
    assert _link(changed) == page_link
    # The link cancels on POST (GET changed nothing).
    guest.refresh_from_db()
    assert guest.status == "going"
    client.post(page_link)
    guest.refresh_from_db()
    assert guest.status == "not_going"
    # A forged or tampered link is not accepted.
    pk, mac = page_link.split("/")[2].split(".")
    assert client.get(f"/guests/{pk}.{'0' * len(mac)}/cancel/").status_code == 404
    assert client.get(f"/guests/{int(pk) + 1}.{mac}/cancel/").status_code == 404
    # Signing up again issues a new token; the old page link stops working.
    services.register_guest(gathering=gathering, name="Gijs Gast", email="gijs@example.org")
    assert client.get(page_link).status_code == 404


def test_series_cancel_and_extend_pages(
    client: Any, network: Any, host: Any, member: Any, outsider: Any, frozen: Any
) -> None:
    start = timezone.now() + timedelta(days=5)
    first = services.create_gathering(
        actor=host,
        network=network,
        title="Weekly",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        recurrence="weekly",
        occurrence_count=2,
    )
    extend, cancel = url("series_extend", first), url("series_cancel", first)
    assert client.post(extend, {"count": 2}).status_code == 302  # to the log-in
    client.force_login(outsider)
    assert client.post(extend, {"count": 2}).status_code == 404
    assert client.post(cancel).status_code == 404
    client.force_login(member)
    assert client.post(extend, {"count": 2}).status_code == 403
    assert client.post(cancel).status_code == 403
    assert Gathering.objects.filter(series=first.series).count() == 2
    client.force_login(host)
    page = client.get(url("edit", first)).content.decode()
    assert "Cancel the whole series" in page and "Add them to the series" in page
    r = client.post(extend, {"count": 99}, follow=True)
    assert "Ensure this value is less than or equal to 52" in r.content.decode()
    r = client.post(extend, {"count": 3}, follow=True)
    assert "3 gatherings are added to the series." in r.content.decode()
    assert Gathering.objects.filter(series=first.series).count() == 5
    mail.outbox.clear()
    r = client.post(cancel, follow=True)
    assert "5 gatherings of the series are cancelled" in r.content.decode()
    assert not Gathering.objects.filter(series=first.series).exclude(status="cancelled").exists()
    assert {m.to[0] for m in mail.outbox} == {host.email, member.email}


def test_past_gathering_links_to_write_what_we_learned(
    client: Any, gathering: Any, member: Any, frozen: Any, monkeypatch: Any
) -> None:

    client.force_login(member)
    assert "Write what we learned" not in client.get(url("detail", gathering)).content.decode()
    frozen.move_to(gathering.ends_at + timedelta(days=1))
    page = client.get(url("detail", gathering)).content.decode()
    target = reverse("knowledge:new", args=[gathering.network.slug]) + f"?gathering={gathering.pk}"
    assert f'href="{target}"' in page and "Write what we learned" in page
    # The knowledge form pre-selects the gathering.
    form_page = client.get(target)
    assert form_page.status_code == 200
    assert f'<option value="{gathering.pk}" selected>' in form_page.content.decode()


def test_detail_shows_the_place_on_the_waitlist(
    client: Any, gathering: Any, host: Any, member: Any, render_every_request: Any
) -> None:
    """The place counts who is still waiting ahead, not the number drawn when joining."""
    from kring.networks.tests.factories import MembershipFactory

    services.update_gathering(actor=host, gathering=gathering, data={"capacity": 1})
    first = MembershipFactory(network=gathering.network).user
    services.answer_rsvp(actor=host, gathering=gathering, answer="going")
    services.answer_rsvp(actor=first, gathering=gathering, answer="going")
    services.answer_rsvp(actor=member, gathering=gathering, answer="going")
    client.force_login(member)
    assert "the waitlist — number 2" in client.get(url("detail", gathering)).content.decode()
    services.answer_rsvp(actor=first, gathering=gathering, answer="not_going")
    assert "the waitlist — number 1" in client.get(url("detail", gathering)).content.decode()
