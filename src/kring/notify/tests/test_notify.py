"""The notification layer: choices, languages, unescaped text, links, the idempotent log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.notify import channels, services
from kring.notify.channels import Message
from kring.notify.kinds import Kind, register_kind
from kring.notify.models import Delivery, DeliveryStatus, Preference
from kring.notify.services import Address, notify
from kring.notify.tasks import bundle_tick

pytestmark = pytest.mark.django_db


def _say(user: Any, key: str = "k1", kind: str = "host_message", **kw: Any) -> dict[str, str]:
    return notify(
        kind=kind,
        recipient=user,
        idempotency_key=key,
        subject=kw.pop("subject", "Q&A met O'Brien"),
        body=kw.pop("body", 'Tom & Jerry <b>say</b> "hi"'),
        url=kw.pop("url", "/n/testnet/"),
        **kw,
    )


def test_sends_plain_text_unescaped_with_absolute_links(member: Any, settings: Any) -> None:
    settings.SITE_URL = "http://127.0.0.1:8141"
    assert _say(member) == {"email": "sent"}
    [m] = mail.outbox
    assert m.subject == "Q&A met O'Brien"
    assert 'Tom & Jerry <b>say</b> "hi"' in m.body
    assert "&amp;" not in m.body + m.subject and "&#x27;" not in m.subject
    assert m.to == ["member@test.example"]
    assert "http://127.0.0.1:8141/notifications/" in m.body  # the footer's settings link
    assert m.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8141/notifications/")


def test_templates_render_without_escaping(member: Any, network: Any) -> None:
    network.name = "Q&A met O'Brien"
    network.save()
    member.language = "en"
    notify(
        kind="host_message",
        recipient=member,
        network=network,
        idempotency_key="t",
        template="notify/email/message",
        context={"title": "Q&A met O'Brien", "text": "Q&A met O'Brien"},
    )
    [m] = mail.outbox
    assert m.subject == "Q&A met O'Brien: Q&A met O'Brien"
    assert "Q&A met O'Brien" in m.body


def test_same_key_sends_once_per_recipient(member: Any, host: Any) -> None:
    assert _say(member)["email"] == "sent"
    assert _say(host)["email"] == "sent"  # the key is per recipient
    assert _say(member) == {"email": "duplicate"}
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status="sent").count() == 2


def test_retry_after_a_crash_takes_over_a_stale_claim_only(member: Any, host: Any) -> None:
    """A worker died between claiming and sending: a retry within the lease leaves it (the
    first sender may still be busy); after the lease it sends — once."""
    now = timezone.now()
    # the lease is the task lease (KRING_TASK_LEASE_SECONDS, 30 s)
    for user, claimed in (
        (member, now - timedelta(seconds=10)),
        (host, now - timedelta(minutes=1)),
    ):
        Delivery.objects.create(
            key=services.delivery_key(user, "k1"),
            idempotency_key="k1",
            channel="email",
            kind="host_message",
            status=DeliveryStatus.PENDING,
            user=user,
            claimed_at=claimed,
            attempts=1,
        )
    assert _say(member) == {"email": "duplicate"}
    assert _say(host) == {"email": "sent"}
    assert _say(host) == {"email": "duplicate"}
    assert [m.to for m in mail.outbox] == [["host@test.example"]]
    assert Delivery.objects.get(user=host).attempts == 2


class _Broken(Exception):
    pass


def test_a_failed_send_is_logged_and_retried(member: Any, monkeypatch: Any) -> None:
    email = channels.get_channel("email")

    def fail(message: Message) -> None:
        raise _Broken("smtp down")

    monkeypatch.setattr(email, "send", fail)
    with pytest.raises(_Broken):
        _say(member)
    row = Delivery.objects.get()
    assert (row.status, row.reason) == ("failed", "smtp down")
    monkeypatch.undo()
    assert _say(member) == {"email": "sent"}
    assert len(mail.outbox) == 1


def test_off_sends_nothing_but_transactional_kinds_always_come(member: Any) -> None:
    services.set_preferences(actor=member, choices={"host_message": {"email": "off"}})
    assert _say(member) == {"email": "skipped"}
    assert mail.outbox == []
    Preference.objects.create(user=member, kind="account", channel="email", mode="off")
    assert _say(member, kind="account", key="k2") == {"email": "sent"}


def test_an_inactive_account_gets_nothing(member: Any) -> None:
    member.is_active = False
    member.save()
    assert _say(member) == {}
    assert mail.outbox == []


def test_an_address_without_account_gets_mail_in_the_given_language(db: Any) -> None:
    to = Address("guest@test.example", language="en")
    assert _say(to, kind="guest") == {"email": "sent"}
    assert _say(Address("GUEST@test.example", language="en"), kind="guest") == {
        "email": "duplicate"
    }
    [m] = mail.outbox
    assert m.to == ["guest@test.example"]
    assert "List-Unsubscribe" not in m.extra_headers  # transactional: nothing to turn off


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Kring today: 2 messages"), ("nl", "Kring vandaag: 2 berichten")]
)
def test_daily_bundle_once_a_day_in_the_person_s_language(
    member: Any,
    language: str,
    words: str,
    time_machine: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    member.language = language
    member.save()
    services.set_preferences(actor=member, choices={"host_message": {"email": "daily"}})
    assert _say(member, key="a", subject="First") == {"email": "bundled"}
    assert _say(member, key="b", subject="Second & more") == {"email": "bundled"}
    assert mail.outbox == []
    assert bundle_tick(datetime(2026, 12, 3, 6, 0, tzinfo=UTC)) == 0  # 07:00 Amsterdam
    time_machine.move_to(datetime(2026, 12, 3, 7, 30, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert bundle_tick(timezone.now()) == 1
    [m] = mail.outbox
    assert m.subject == words
    assert "First" in m.body and "Second & more" in m.body
    with django_capture_on_commit_callbacks(execute=True):
        assert bundle_tick(timezone.now()) == 0
    assert services.send_bundle(user_id=member.pk, day="2026-12-03") == 0  # a repeated task
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.filter(kind="host_message").values_list("status", flat=True)) == {
        "sent"
    }


def test_preferences_reject_unknown_kinds_channels_and_modes(member: Any) -> None:
    from kring.core.errors import DomainError

    for choices in (
        {"nonsense": {"email": "now"}},
        {"account": {"email": "off"}},  # transactional
        {"host_message": {"pigeon": "now"}},
        {"host_message": {"email": "hourly"}},
        {"digest": {"email": "daily"}},  # the digest is weekly: now or off
    ):
        with pytest.raises(DomainError):
            services.set_preferences(actor=member, choices=choices)
    assert not Preference.objects.exists()


class FakePush:
    """A stand-in for the phone issue's push channel: what registering one looks like."""

    name = "push"
    label = "Push"
    modes = ("now", "off")

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def default_mode(self, kind: Kind) -> str:
        return "now"

    def available_for(self, user: Any) -> bool:
        return user.email.startswith("member")

    def send(self, message: Message) -> None:
        self.sent.append(message)


@pytest.fixture
def push() -> Any:
    real = channels.get_channel("push")  # kring.push's channel, put back afterwards
    channel = FakePush()
    channels.register_channel(channel)
    yield channel
    channels.register_channel(real)


def test_a_registered_push_channel_gets_messages_by_choice(
    member: Any, host: Any, push: FakePush, settings: Any
) -> None:
    settings.SITE_URL = "https://kring.example"
    assert _say(member) == {"email": "sent", "push": "sent"}
    assert _say(host) == {"email": "sent"}  # no device subscribed
    assert push.sent[0].url == "https://kring.example/n/testnet/"
    services.set_preferences(actor=member, choices={"host_message": {"push": "off"}})
    assert _say(member, key="k2") == {"email": "sent", "push": "skipped"}
    assert _say(member, kind="digest", key="k3") == {"email": "sent"}  # digests are not pushed
    rows = {r["kind"]: r["channels"] for r in services.preferences_for(member)}
    assert rows["host_message"] == {"email": "now", "push": "off"}
    assert rows["digest"] == {"email": "now"}


def test_register_kind_checks_its_default() -> None:
    with pytest.raises(ValueError, match="default"):
        register_kind(Kind("x", "X", modes=("now", "off"), default="daily"))


# --- The page, the API, the one-click stop, the remembered language ------------------------


def test_preferences_page(client: Any, member: Any) -> None:
    url = reverse("notify:preferences")
    assert client.get(url).status_code == 302
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="host_message__email"' in page.content
    assert b'name="account__email"' not in page.content  # transactional: not a choice
    data = {f"{r['kind']}__email": r["channels"]["email"] for r in services.preferences_for(member)}
    data["host_message__email"] = "daily"
    assert client.post(url, data).status_code == 302
    assert Preference.objects.get(user=member, kind="host_message").mode == "daily"
    data["digest__email"] = "daily"
    assert client.post(url, data).status_code == 400  # not a choice for the weekly digest


def test_api_get_and_put(api_client: Any, member: Any) -> None:
    c = api_client(member)
    got = c.get("/api/v1/me/notifications").json()
    assert (
        got["channels"] == [{"name": "email", "label": "E-mail"}]
        or got["channels"][0]["name"] == "email"
    )
    hm = next(p for p in got["preferences"] if p["kind"] == "host_message")
    assert hm["channels"] == {"email": "now"}
    assert hm["choices"] == {"email": ["now", "daily", "off"]}
    put = c.put(
        "/api/v1/me/notifications",
        {"preferences": [{"kind": "host_message", "channels": {"email": "off"}}]},
        content_type="application/json",
    )
    assert put.status_code == 200
    hm = next(p for p in put.json()["preferences"] if p["kind"] == "host_message")
    assert hm["channels"] == {"email": "off"}
    for bad in (
        {"preferences": [{"kind": "nope", "channels": {"email": "off"}}]},
        {"preferences": [{"kind": "host_message", "channels": {"email": "weekly"}}]},
        {"preferences": "all"},
    ):
        r = c.put("/api/v1/me/notifications", bad, content_type="application/json")
        assert r.status_code == 422, r.content
        assert r.json()["detail"]
    assert api_client().get("/api/v1/me/notifications").status_code == 401


def test_one_click_stop_does_nothing_on_get(client: Any, member: Any) -> None:
    _say(member)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("8000", 1)[1] if "8000" in url else url
    assert client.get(path).status_code == 200  # a mail scanner fetching the link
    assert not Preference.objects.exists()
    assert client.post(path).status_code == 200
    assert Preference.objects.get(user=member, kind="host_message").mode == "off"
    assert client.get(reverse("notify:unsubscribe", args=["forged"])).status_code == 400


def test_the_language_a_person_uses_is_remembered(client: Any, member: Any, settings: Any) -> None:
    assert member.language == "en"
    client.force_login(member)
    client.get(reverse("notify:preferences"))  # the test client says no language (default nl)
    member.refresh_from_db()
    assert member.language == "en"  # nothing said by the browser: nothing changes
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    client.get(reverse("notify:preferences"))
    member.refresh_from_db()
    assert member.language == "nl"
    client.get(reverse("notify:preferences"), headers={"Accept-Language": "en-GB,en;q=0.9"})
    member.refresh_from_db()
    assert member.language == "nl"  # the switch's cookie wins over the browser's header
    _say(member)
    assert "Je krijgt deze e-mail" in mail.outbox[0].body


def test_demo_sets_the_site_url_to_where_it_serves(monkeypatch: Any) -> None:
    from kring.site.management.commands.demo import demo_site_url

    monkeypatch.delenv("KRING_SITE_URL", raising=False)
    assert demo_site_url("127.0.0.1", 8141) == "http://127.0.0.1:8141"
    assert demo_site_url("0.0.0.0", 8142) == "http://127.0.0.1:8142"  # noqa: S104
    monkeypatch.setenv("KRING_SITE_URL", "https://kring.example")
    assert demo_site_url("127.0.0.1", 8141) is None


@pytest.mark.parametrize(("language", "word"), [("en", "Password Reset"), ("nl", "Wachtwoord")])
def test_allauth_mails_come_in_the_person_s_language(
    client: Any, member: Any, language: str, word: str
) -> None:
    member.language = language
    member.save()
    other = "nl" if language == "en" else "en"
    r = client.post(
        reverse("account_reset_password"),
        {"email": member.email},
        headers={"Accept-Language": other},
    )
    assert r.status_code == 302
    [m] = mail.outbox
    assert word.lower() in m.subject.lower(), m.subject


def test_every_mail_goes_through_the_notification_layer() -> None:
    """Nothing but the e-mail channel sends mail (allauth's own account mails excepted)."""
    import re
    from pathlib import Path

    import kring

    root = Path(kring.__file__).parent
    allowed = {root / "notify" / "channels.py", root / "people" / "adapter.py"}
    pattern = re.compile(r"\b(send_mail|send_mass_mail|mail_admins|EmailMessage|EmailMultiAlt)")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path not in allowed
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "send these through kring.notify.services.notify()"


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en", "Changed: Q&A met O'Brien"), ("nl", "Gewijzigd: Q&A met O'Brien")],
)
def test_a_real_mail_keeps_ampersands_and_quotes(
    network: Any, host: Any, member: Any, language: str, subject: str
) -> None:
    """Issue 15, item 9: plain-text mail and subjects were HTML-escaped (``Q&amp;A``)."""
    from kring.gatherings.models import Gathering, Rsvp, RsvpStatus
    from kring.gatherings.tasks import send_gathering_changed

    start = timezone.now() + timedelta(days=3)
    g = Gathering.objects.create(
        network=network,
        title="Q&A met O'Brien",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue_name='Café "De Ster" & co',
    )
    Rsvp.objects.create(gathering=g, user=member, status=RsvpStatus.GOING)
    member.language = language
    member.save()
    send_gathering_changed.call(g.pk)
    [m] = mail.outbox
    assert m.subject == subject
    assert "Q&A met O'Brien" in m.body and 'Café "De Ster" & co' in m.body
    assert "&amp;" not in m.body and "&#x27;" not in m.body and "&quot;" not in m.body
