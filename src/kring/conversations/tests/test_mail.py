"""New-message mail (bundled) and replies by e-mail: mail-in and the SMTP listener."""

from __future__ import annotations

import io
import smtplib
import socket
import sys
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kring.conversations import addresses, inbound, services, tasks
from kring.conversations.models import Conversation, Message

pytestmark = pytest.mark.django_db

DOMAIN = "reply.test.example"


@pytest.fixture(autouse=True)
def _inbound_domain(settings: Any) -> None:
    settings.KRING_INBOUND_DOMAIN = DOMAIN


def _tick(now: Any) -> int:
    return tasks.message_mail_tick(now)


# --- The bundling rule -------------------------------------------------------------------


def test_one_mail_per_conversation_per_15_minutes_while_unread(
    talk: Conversation, member: Any, peer: Any
) -> None:
    start = talk.messages.get().created_at
    mail.outbox.clear()
    assert _tick(start + timedelta(minutes=1)) == 0  # still within the grace period
    _tick(start + timedelta(minutes=3))
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["member@test.example"]
    assert sent.subject == "New message from Piet O'Brien (Test network)"  # not escaped
    assert "Hoi Mila, koffie?" in sent.body
    assert "peer@test.example" not in sent.body + str(sent.extra_headers) + str(sent.reply_to)
    assert sent.reply_to[0].startswith(f"r-{talk.pk}-{member.pk}-")
    # Two more messages shortly after: no mail until 15 minutes after the first mail.
    for minute, text in ((4, "Of thee?"), (6, "Of een wandeling?")):
        with time_machine.travel(start + timedelta(minutes=minute)):
            services.post_message(actor=peer, conversation=talk, body=text)
    _tick(start + timedelta(minutes=10))
    _tick(start + timedelta(minutes=17))
    assert len(mail.outbox) == 1
    _tick(start + timedelta(minutes=19))
    assert len(mail.outbox) == 2
    bundle = mail.outbox[1].body
    assert "Of thee?" in bundle and "Of een wandeling?" in bundle
    assert "koffie" not in bundle  # mailed already
    _tick(start + timedelta(minutes=60))
    assert len(mail.outbox) == 2


def test_nothing_when_read_in_time(client: Any, talk: Conversation, member: Any) -> None:
    start = talk.messages.get().created_at
    client.force_login(member)
    client.get(f"/n/testnet/conversations/{talk.pk}/")
    mail.outbox.clear()
    _tick(start + timedelta(minutes=30))
    assert mail.outbox == []


def test_muted_gets_no_mail(talk: Conversation, member: Any) -> None:
    services.set_muted(actor=member, conversation=talk, muted=True)
    mail.outbox.clear()
    _tick(talk.messages.get().created_at + timedelta(minutes=30))
    assert mail.outbox == []


def test_a_retried_task_mails_once(talk: Conversation, member: Any) -> None:
    part = talk.participants.get(user=member)
    now = (talk.messages.get().created_at + timedelta(minutes=5)).isoformat()
    mail.outbox.clear()
    assert tasks.send_message_mail.call(part.pk, now) == 1
    assert tasks.send_message_mail.call(part.pk, now) == 0
    assert len(mail.outbox) == 1


def test_a_task_retried_after_a_crash_sends_nobody_a_second_mail(
    talk: Conversation, member: Any
) -> None:
    """The crash came after the mail left and before the conversation's state was saved: the
    retry finds the same pending messages, and the delivery log stops the second mail."""
    from kring.notify.models import Delivery

    part = talk.participants.get(user=member)
    state = {f: getattr(part, f) for f in ("unmailed_since", "last_mailed_at", "mailed_through_id")}
    now = (talk.messages.get().created_at + timedelta(minutes=5)).isoformat()
    mail.outbox.clear()
    assert tasks.send_message_mail.call(part.pk, now) == 1
    type(part).objects.filter(pk=part.pk).update(**state)  # as if never saved
    assert tasks.send_message_mail.call(part.pk, now) == 0
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(kind="message", user=member).count() == 1


def test_the_person_s_choice_counts(talk: Conversation, member: Any) -> None:
    from kring.notify.services import set_preferences

    set_preferences(actor=member, choices={"message": {"email": "off"}})
    mail.outbox.clear()
    _tick(talk.messages.get().created_at + timedelta(minutes=5))
    assert mail.outbox == []


def test_mail_in_dutch_for_a_dutch_reader(talk: Conversation, member: Any) -> None:
    member.language = "nl"
    member.save(update_fields=["language"])
    mail.outbox.clear()
    _tick(talk.messages.get().created_at + timedelta(minutes=5))
    assert mail.outbox[0].subject == "Nieuw bericht van Piet O'Brien (Test network)"
    assert "Beantwoord deze e-mail om te reageren" in mail.outbox[0].body


# --- Reply addresses ---------------------------------------------------------------------


def test_reply_address_round_trip_forgery_and_expiry(talk: Conversation, member: Any) -> None:
    now = timezone.now()
    address = addresses.reply_address(conversation_id=talk.pk, user_id=member.pk, now=now)
    assert address and address.endswith("@" + DOMAIN)
    assert "member" not in address
    target = addresses.parse_reply_address(address.upper(), now=now)
    assert (target.conversation_id, target.user_id) == (talk.pk, member.pk)
    local, domain = address.split("@")
    forged = local.replace(f"-{member.pk}-", f"-{member.pk + 1}-", 1) + "@" + domain
    with pytest.raises(addresses.BadAddress, match="forged"):
        addresses.parse_reply_address(forged, now=now)
    with pytest.raises(addresses.BadAddress, match="expired"):
        addresses.parse_reply_address(address, now=now + timedelta(days=91))
    with pytest.raises(addresses.BadAddress, match="unknown"):
        addresses.parse_reply_address(f"{local}@elsewhere.example", now=now)


def _reply(to: str, sender: str, text: str, **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Mila <{sender}>"
    msg["To"] = to
    msg["Subject"] = "Re: Nieuw bericht"
    for k, v in headers.items():
        msg[k.replace("_", "-")] = v
    msg.set_content(text)
    return msg.as_bytes()


REPLY = """Donderdag om 10 uur is goed!
Tot dan.

--
Mila Member
Freelance ontwerper

On Thu, 3 Dec 2026 at 10:00, Kring <kring@localhost> wrote:
> ## ---- Reply above this line ---- ##
> Hoi Mila, koffie?
"""


def _address(talk: Conversation, user: Any) -> str:
    address = addresses.reply_address(conversation_id=talk.pk, user_id=user.pk, now=timezone.now())
    assert address
    return address


def test_mail_in_posts_the_reply_without_quote_or_signature(
    talk: Conversation, member: Any, monkeypatch: Any
) -> None:
    raw = _reply(_address(talk, member), "member@test.example", REPLY)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("mail-in", stdout=io.StringIO())
    m = talk.messages.order_by("-pk").first()
    assert m is not None and m.sender_id == member.pk and m.via == "mail"
    assert m.body == "Donderdag om 10 uur is goed!\nTot dan."


@pytest.mark.parametrize(
    ("case", "code"),
    [("forged", 67), ("expired", 67), ("unknown", 67), ("wrong sender", 77), ("empty", 65)],
)
def test_mail_in_refuses_quietly(
    talk: Conversation, member: Any, monkeypatch: Any, case: str, code: int
) -> None:
    to, sender, text = _address(talk, member), "member@test.example", "Prima"
    if case == "forged":
        to = to.replace(to.split("-")[-1][:4], "0000", 1)
    elif case == "expired":
        with time_machine.travel(timezone.now() - timedelta(days=100)):
            to = _address(talk, member)
    elif case == "unknown":
        to = f"someone@{DOMAIN}"
    elif case == "wrong sender":
        sender = "peer@test.example"  # the other side cannot write as this member
    elif case == "empty":
        text = "\n> quoted only\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_reply(to, sender, text))))
    with pytest.raises(SystemExit) as exc:
        call_command("mail-in", stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.code == code
    assert talk.messages.count() == 1


def test_auto_replies_and_blocked_senders_are_dropped(talk: Conversation, member: Any) -> None:
    to = _address(talk, member)
    auto = _reply(to, "member@test.example", "Ik ben met vakantie", Auto_Submitted="auto-replied")
    assert inbound.receive(auto).status == "dropped"
    services.block_other(actor=member, conversation=talk)
    assert inbound.receive(_reply(to, "member@test.example", "Hoi")).status == "dropped"
    assert talk.messages.count() == 1


def test_html_only_reply(talk: Conversation, member: Any) -> None:
    msg = EmailMessage()
    msg["From"] = "member@test.example"
    msg["To"] = _address(talk, member)
    msg.set_content(
        "<p>Ja <b>graag</b> &amp; snel</p><blockquote>Hoi Mila</blockquote>", subtype="html"
    )
    result = inbound.receive(msg.as_bytes())
    assert result.status == "delivered" and result.message is not None
    assert result.message.body == "Ja graag & snel"


# --- The SMTP listener, end to end -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_reply_by_smtp_appears_in_the_thread(
    client: Any, network: Any, member: Any, peer: Any
) -> None:
    from kring.conversations.smtp import controller

    conversation, _m = services.start_conversation(
        actor=peer, network=network, other_id=member.pk, body="Koffie donderdag?"
    )
    mail.outbox.clear()
    tasks.message_mail_tick(timezone.now() + timedelta(minutes=3))
    reply_to = mail.outbox[0].reply_to[0]
    server = controller(host="127.0.0.1", port=_free_port())
    server.start()
    try:
        with smtplib.SMTP(server.hostname, server.port, timeout=10) as smtp:
            smtp.send_message(
                EmailMessage_from(reply_to, "member@test.example", "Ja, leuk!\n\n> Koffie?")
            )
            # A forged address is refused at RCPT (the sender's server bounces it).
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.send_message(
                    EmailMessage_from(f"r-1-1-a-{'0' * 20}@{DOMAIN}", "member@test.example", "x")
                )
            # The wrong sender is refused at DATA.
            with pytest.raises(smtplib.SMTPDataError):
                smtp.send_message(EmailMessage_from(reply_to, "peer@test.example", "Nep"))
    finally:
        server.stop()
    assert list(
        Message.objects.filter(conversation=conversation).values_list("body", flat=True)
    ) == [
        "Koffie donderdag?",
        "Ja, leuk!",
    ]
    client.force_login(peer)
    assert "Ja, leuk!" in client.get(f"/n/testnet/conversations/{conversation.pk}/").text


def EmailMessage_from(to: str, sender: str, text: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = "Re: bericht"
    msg.set_content(text)
    return msg
