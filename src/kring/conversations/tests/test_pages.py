"""Pages and API: only the two people ever see a conversation (web and API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kring.conversations import services
from kring.conversations.models import Conversation, Message

pytestmark = pytest.mark.django_db


def _thread(c: Conversation) -> str:
    return f"/n/testnet/conversations/{c.pk}/"


def test_the_two_see_the_thread_others_get_404(
    client: Client,
    talk: Conversation,
    member: Any,
    peer: Any,
    host: Any,
    third: Any,
    other_member: Any,
) -> None:
    for person in (member, peer):
        client.force_login(person)
        r = client.get(_thread(talk))
        assert r.status_code == 200
        assert "Hoi Mila, koffie?" in r.text
        assert "member@test.example" not in r.text and "peer@test.example" not in r.text
    for person in (host, third, other_member):
        client.force_login(person)
        assert client.get(_thread(talk)).status_code == 404
        assert client.post(_thread(talk) + "send/", {"body": "x"}).status_code == 404
        assert client.get(f"/n/othernet/conversations/{talk.pk}/").status_code == 404
        inbox = client.get("/n/testnet/conversations/")
        assert "koffie" not in inbox.text and f"/conversations/{talk.pk}/" not in inbox.text
    assert talk.messages.count() == 1


def test_reading_clears_the_badge(client: Client, talk: Conversation, member: Any) -> None:
    client.force_login(member)
    home = client.get("/n/testnet/home/")
    badge = '<span class="count" aria-hidden="true">1</span>'  # the top bar's Messages icon
    assert badge in home.text
    client.get(_thread(talk))
    assert badge not in client.get("/n/testnet/home/").text


def test_start_from_profile_and_reply(client: Client, member: Any, peer: Any) -> None:
    client.force_login(member)
    profile = client.get(f"/n/testnet/people/{peer.pk}/")
    start_url = f"/n/testnet/conversations/with/{peer.pk}/"
    assert start_url in profile.text
    r = client.post(start_url, {"body": "Zullen we eens bellen? https://example.org/agenda"})
    c = Conversation.objects.get()
    assert r.status_code == 302 and r["Location"] == _thread(c)
    page = client.get(_thread(c)).text
    assert '<a href="https://example.org/agenda" rel="nofollow">' in page
    # The profile link now leads to the existing conversation.
    assert client.get(start_url)["Location"] == _thread(c)


def test_html_is_shown_as_text(client: Client, talk: Conversation, member: Any) -> None:
    client.force_login(member)
    client.post(_thread(talk) + "send/", {"body": "<script>alert(1)</script>"})
    page = client.get(_thread(talk)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bad_input_on_the_page(client: Client, talk: Conversation, member: Any, peer: Any) -> None:
    client.force_login(member)
    assert client.post(_thread(talk) + "send/", {"body": ""}).status_code == 400
    r = client.post(_thread(talk) + "send/", {"body": "x" * 5000})
    assert r.status_code == 400 and "hoogstens 4000" in r.text
    assert client.get(f"/n/testnet/conversations/with/{member.pk}/").status_code == 404
    assert talk.messages.count() == 1


def test_edit_withdraw_report_mute_block(
    client: Client, talk: Conversation, member: Any, peer: Any, host: Any
) -> None:
    first = talk.messages.get()
    client.force_login(peer)
    client.post(_thread(talk) + f"messages/{first.pk}/edit/", {"body": "Hoi Mila, thee?"})
    first.refresh_from_db()
    assert first.body == "Hoi Mila, thee?"
    client.force_login(member)
    assert client.get(_thread(talk) + f"messages/{first.pk}/edit/").status_code == 404
    r = client.post(_thread(talk) + f"messages/{first.pk}/report/", {"reason": "Te vaak"})
    assert r.status_code == 302
    client.force_login(host)
    reports = client.get("/n/testnet/conversations/reports/").text
    assert "Hoi Mila, thee?" in reports and "Te vaak" in reports
    assert client.get(_thread(talk)).status_code == 404  # the rest stays private
    client.force_login(peer)
    client.post(_thread(talk) + f"messages/{first.pk}/withdraw/")
    page = client.get(_thread(talk)).text
    assert "Bericht ingetrokken" in page and "thee" not in page
    client.force_login(member)
    client.post(_thread(talk) + "mute/")
    assert talk.participants.get(user=member).muted
    client.post(_thread(talk) + "block/")
    client.force_login(peer)
    client.post(_thread(talk) + "send/", {"body": "Hallo?"})
    assert not Message.objects.filter(body="Hallo?").exists()


def test_reports_page_is_for_hosts(client: Client, member: Any, host: Any) -> None:
    client.force_login(member)
    assert client.get("/n/testnet/conversations/reports/").status_code == 403


# --- API ---------------------------------------------------------------------------------


def test_api_start_list_read_write(api_client: Any, member: Any, peer: Any) -> None:
    c = api_client(peer)
    r = c.post(
        "/api/v1/networks/testnet/conversations",
        {"with": member.pk, "body": "Hoi!"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["with"] == {"id": member.pk, "display_name": "Mila Member"}
    assert [m["body"] for m in data["messages"]] == ["Hoi!"]
    cid = data["id"]
    m = api_client(member)
    listed = m.get("/api/v1/conversations").json()
    assert listed[0]["id"] == cid and listed[0]["unread"] == 1
    assert listed[0]["with"]["id"] == peer.pk
    msgs = m.get(f"/api/v1/conversations/{cid}/messages").json()
    assert msgs[0]["mine"] is False and msgs[0]["sender"]["id"] == peer.pk
    assert m.get("/api/v1/conversations").json()[0]["unread"] == 0
    r = m.post(
        f"/api/v1/conversations/{cid}/messages",
        {"body": "Hoi terug"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["mine"] is True
    assert "email" not in r.text and "@test.example" not in r.text


def test_api_privacy_and_errors(
    api_client: Any,
    talk: Conversation,
    member: Any,
    peer: Any,
    host: Any,
    third: Any,
    other_member: Any,
    outsider: Any,
) -> None:
    for person in (host, third, other_member):
        c = api_client(person)
        assert c.get(f"/api/v1/conversations/{talk.pk}/messages").status_code == 404
        r = c.post(
            f"/api/v1/conversations/{talk.pk}/messages",
            {"body": "x"},
            content_type="application/json",
        )
        assert r.status_code == 404
        assert c.get("/api/v1/conversations").json() == []
    m = api_client(member)
    start = "/api/v1/networks/testnet/conversations"
    for other in (outsider, other_member):
        r = m.post(start, {"with": other.pk, "body": "Hoi"}, content_type="application/json")
        assert r.status_code == 404
    r = m.post(start, {"with": member.pk, "body": "Hoi"}, content_type="application/json")
    assert r.status_code == 400
    r = m.post(start, {"with": peer.pk, "body": ""}, content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "body"
    r = m.post(start, {"with": peer.pk, "body": "x" * 5000}, content_type="application/json")
    assert r.status_code == 400
    services.block_other(actor=member, conversation=talk)
    r = api_client(peer).post(
        start, {"with": member.pk, "body": "Hoi"}, content_type="application/json"
    )
    assert r.status_code == 403 and r.json()["detail"] == str(services.NOT_POSSIBLE)
    assert (
        api_client(other_member)
        .post(start, {"with": member.pk, "body": "Hoi"}, content_type="application/json")
        .status_code
        == 404
    )


def test_api_flooding_answers_429(api_client: Any, talk: Conversation, member: Any) -> None:
    from django.utils import timezone

    Message.objects.bulk_create(
        Message(conversation=talk, sender=member, body="x", created_at=timezone.now())
        for _ in range(services.MAX_MESSAGES_PER_HOUR)
    )
    r = api_client(member).post(
        f"/api/v1/conversations/{talk.pk}/messages", {"body": "y"}, content_type="application/json"
    )
    assert r.status_code == 429
    assert r.json()["code"] == "too_many_requests" and "uur" in r.json()["detail"]
