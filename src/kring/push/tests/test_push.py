"""Web push: subscriptions (service and API), the channel's outcomes, the retry, the page."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from pywebpush import WebPushException

from kring.core.errors import DomainError, NotFound
from kring.notify import services as notify_services
from kring.notify.channels import Message, get_channel
from kring.notify.kinds import get_kind
from kring.notify.models import Delivery
from kring.notify.services import notify
from kring.privacy.services import build_export, erase_account
from kring.push import channel as push_channel
from kring.push import services
from kring.push.checks import device_label
from kring.push.models import PushSubscription
from kring.push.vapid import public_key

from .conftest import ClientKeys

FCM = "https://fcm.googleapis.com/fcm/send/abc:def"
MOZ = "https://updates.push.services.mozilla.com/wpush/v2/gAAAA"


def _sub(user: Any, keys: ClientKeys, endpoint: str = FCM) -> PushSubscription:
    sub, _created = services.subscribe_device(
        actor=user, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth, device="Phone"
    )
    return sub


# --- Subscriptions: the use-cases ----------------------------------------------------------


def test_subscribe_is_idempotent_and_moves_between_accounts(
    member: Any, host: Any, keys: ClientKeys
) -> None:
    sub, created = services.subscribe_device(
        actor=member, endpoint=FCM, p256dh=keys.p256dh, auth=keys.auth
    )
    assert created
    again, created = services.subscribe_device(
        actor=member, endpoint=FCM, p256dh=keys.p256dh, auth=keys.auth, device="Laptop"
    )
    assert (again.pk, created, again.device) == (sub.pk, False, "Laptop")
    moved, created = services.subscribe_device(
        actor=host, endpoint=FCM, p256dh=keys.p256dh, auth=keys.auth
    )
    assert created and moved.pk == sub.pk and moved.user == host
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("endpoint", "field"),
    [
        ("", "endpoint"),
        ("http://push.example.com/x", "endpoint"),  # not https
        ("https://127.0.0.1/x", "endpoint"),  # a local address
        ("https://10.0.0.8/x", "endpoint"),
        ("https://localhost/x", "endpoint"),
        ("https://printer.local/x", "endpoint"),
        ("https://user:pw@push.example.com/x", "endpoint"),
        ("ftp://push.example.com/x", "endpoint"),
        ("https://push.example.com:port/x", "endpoint"),
        ("https://push.example.com/" + "x" * 800, "endpoint"),
    ],
)
def test_bad_endpoints_are_refused(
    member: Any, keys: ClientKeys, endpoint: str, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        services.subscribe_device(
            actor=member, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth
        )
    assert caught.value.field == field and caught.value.status == 422
    assert not PushSubscription.objects.exists()


def test_http_to_this_machine_only_when_allowed(
    member: Any, keys: ClientKeys, settings: Any
) -> None:
    settings.KRING_PUSH_ALLOW_LOCAL = False
    with pytest.raises(DomainError):
        _sub(member, keys, "http://127.0.0.1:9/push")
    settings.KRING_PUSH_ALLOW_LOCAL = True
    assert _sub(member, keys, "http://127.0.0.1:9/push").endpoint == "http://127.0.0.1:9/push"
    with pytest.raises(DomainError):  # only this machine
        _sub(member, keys, "http://push.example.com/x")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("p256dh", "auth", "field"),
    [
        ("not base64!", None, "keys.p256dh"),
        (_b64(b"\x04" + b"\x01" * 63), None, "keys.p256dh"),  # 64 bytes
        (_b64(b"\x02" + b"\x01" * 64), None, "keys.p256dh"),  # not uncompressed
        (_b64(b"\x04" + b"\x01" * 64), None, "keys.p256dh"),  # not on the curve
        (None, _b64(b"\x00" * 15), "keys.auth"),
        (None, "a+b/c", "keys.auth"),
        (None, "", "keys.auth"),
    ],
)
def test_bad_keys_are_refused(
    member: Any, keys: ClientKeys, p256dh: str | None, auth: str | None, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        services.subscribe_device(
            actor=member,
            endpoint=FCM,
            p256dh=keys.p256dh if p256dh is None else p256dh,
            auth=keys.auth if auth is None else auth,
        )
    assert caught.value.field == field


def test_someone_else_s_device_is_not_found(member: Any, host: Any, keys: ClientKeys) -> None:
    sub = _sub(member, keys)
    with pytest.raises(NotFound):
        services.remove_device(actor=host, subscription_id=sub.pk)
    services.remove_device(actor=member, subscription_id=sub.pk)
    assert not PushSubscription.objects.exists()


def test_renewal_needs_the_old_auth_secret(member: Any, keys: ClientKeys) -> None:
    sub = _sub(member, keys)
    fresh = ClientKeys(seed=7)
    with pytest.raises(NotFound):
        services.renew_subscription(
            old_endpoint=FCM,
            old_auth=fresh.auth,
            endpoint=MOZ,
            p256dh=fresh.p256dh,
            auth=fresh.auth,
        )
    renewed = services.renew_subscription(
        old_endpoint=FCM, old_auth=keys.auth, endpoint=MOZ, p256dh=fresh.p256dh, auth=fresh.auth
    )
    assert (renewed.pk, renewed.endpoint, renewed.auth, renewed.user) == (
        sub.pk,
        MOZ,
        fresh.auth,
        member,
    )


def test_device_label_from_the_user_agent() -> None:
    android = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "Chrome/131.0 Mobile Safari/537.36"
    )
    assert device_label(android) == "Chrome, Android"
    assert device_label(
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
    ) == ("Firefox, Linux")
    assert device_label("") == ""


# --- The API -------------------------------------------------------------------------------


def test_public_key_is_an_uncompressed_p256_point(client: Any, db: Any) -> None:
    response = client.get("/api/v1/push/public-key")
    assert response.status_code == 200
    raw = base64.urlsafe_b64decode(response.json()["public_key"] + "==")
    assert len(raw) == 65 and raw[0] == 4
    assert response.json()["public_key"] == public_key()


def test_api_subscribe_list_delete(
    api_client: Any, member: Any, host: Any, keys: ClientKeys
) -> None:
    api = api_client(member)
    url = "/api/v1/me/push-subscriptions"
    body = keys.json(FCM, expirationTime=None)
    response = api.post(
        url, body, content_type="application/json", HTTP_USER_AGENT="Firefox/133.0 (Android)"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert set(created) == {"id", "endpoint", "device", "created"}
    assert created["endpoint"] == FCM and created["device"] == "Firefox, Android"
    again = api.post(url, body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == created["id"]
    assert [s["id"] for s in api.get(url).json()] == [created["id"]]
    other = api_client(host)
    assert other.get(url).json() == []
    gone = other.delete(f"{url}/{created['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"
    assert api.delete(f"{url}/{created['id']}").status_code == 204
    assert api.get(url).json() == []
    assert api.delete(f"{url}/{created['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "http://push.example.com/x"}, "endpoint"),
        ({"endpoint": "not a url"}, "endpoint"),
        ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),  # missing
    ],
)
def test_api_refuses_bad_subscriptions_with_a_reason(
    api_client: Any, member: Any, keys: ClientKeys, change: dict[str, Any], field: str
) -> None:
    body = {**keys.json(FCM), **change}
    response = api_client(member).post(
        "/api/v1/me/push-subscriptions", body, content_type="application/json"
    )
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] and data["code"] == "invalid"
    assert any(e["field"].endswith(field) for e in data["errors"]), data
    assert not PushSubscription.objects.exists()


def test_api_needs_an_account(client: Any, db: Any, keys: ClientKeys) -> None:
    response = client.post(
        "/api/v1/me/push-subscriptions", keys.json(FCM), content_type="application/json"
    )
    assert response.status_code == 401


def test_api_renew(client: Any, member: Any, keys: ClientKeys) -> None:
    sub = _sub(member, keys)
    fresh = ClientKeys(seed=3)
    body = {"old_endpoint": FCM, "old_auth": keys.auth, "subscription": fresh.json(MOZ)}
    wrong = {**body, "old_auth": fresh.auth}
    assert (
        client.post("/api/v1/push/renew", wrong, content_type="application/json").status_code == 404
    )
    response = client.post("/api/v1/push/renew", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["id"] == sub.pk
    assert PushSubscription.objects.get().endpoint == MOZ


# --- The channel ---------------------------------------------------------------------------


class _Response:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.reason = ""
        self.text = ""


def _answer(statuses: list[int], calls: list[dict[str, Any]]) -> Any:
    def fake(**kwargs: Any) -> Any:
        calls.append(kwargs)
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        if status > 202:
            raise WebPushException("refused", response=_Response(status))
        return _Response(status)

    return fake


def _say(user: Any, key: str = "k1", kind: str = "message") -> dict[str, str]:
    return notify(
        kind=kind,
        recipient=user,
        idempotency_key=key,
        subject="New message from Hanna",
        body="Hi Mila,\n\nAre you coming on Thursday?\n",
        url="/n/testnet/conversations/1/",
    )


def test_push_is_off_until_the_person_turns_it_on(
    member: Any, keys: ClientKeys, monkeypatch: Any
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(push_channel, "webpush", _answer([201], calls))
    assert _say(member) == {"email": "sent"}  # no device: no push column at all
    _sub(member, keys)
    rows = {r["kind"]: r["channels"] for r in notify_services.preferences_for(member)}
    for kind in ("introduction", "message", "gathering_reminder", "action_overdue", "host_message"):
        assert rows[kind]["push"] == "off", kind
    assert "push" not in rows["digest"]
    assert _say(member, key="k2") == {"email": "sent", "push": "skipped"}
    notify_services.set_preferences(actor=member, choices={"message": {"push": "now"}})
    assert _say(member, key="k3") == {"email": "sent", "push": "sent"}
    [call] = calls
    assert call["ttl"] == push_channel.TTL and call["subscription_info"]["endpoint"] == FCM
    assert call["vapid_claims"]["sub"].startswith("mailto:")
    assert PushSubscription.objects.get().last_success_at is not None


def test_payload_is_short_and_points_to_the_page() -> None:
    message = Message(
        kind="message",
        to="m@example.org",
        language="nl",
        subject="Nieuw bericht   van Hanna",
        body="Hoi Mila,\n\nKom je donderdag?\n\n-- \nJe krijgt deze e-mail omdat…",
        url="https://kring.example/n/x/",
    )
    payload = push_channel.payload_for(message)
    assert payload["title"] == "Nieuw bericht van Hanna"
    assert payload["body"] == "Kom je donderdag?"
    assert payload["url"] == "https://kring.example/n/x/" and payload["lang"] == "nl"
    long = push_channel.payload_for(Message(**{**message.__dict__, "body": "woord " * 100}))
    assert len(long["body"]) <= push_channel.BODY_MAX and long["body"].endswith("…")


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscriptions_are_removed(
    member: Any, keys: ClientKeys, monkeypatch: Any, status: int
) -> None:
    _sub(member, keys)
    other = _sub(member, ClientKeys(seed=5), MOZ)
    notify_services.set_preferences(actor=member, choices={"message": {"push": "now"}})
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(push_channel, "webpush", _answer([status, 201], calls))
    assert _say(member) == {"email": "sent", "push": "sent"}
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [other.pk]


def test_a_busy_push_service_is_retried_and_stops_no_e_mail(
    member: Any, keys: ClientKeys, monkeypatch: Any, time_machine: Any
) -> None:
    _sub(member, keys)
    notify_services.set_preferences(actor=member, choices={"message": {"push": "now"}})
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(push_channel, "webpush", _answer([503], calls))
    assert _say(member) == {"email": "sent", "push": "failed"}  # no exception: e-mail went out
    assert len(mail.outbox) == 1
    row = Delivery.objects.get(channel="push")
    assert row.status == "failed" and row.body  # the message is kept for the retry
    assert notify_services.retry_failed() == 0  # not due yet
    assert PushSubscription.objects.get().failures == 1
    time_machine.move_to(timezone.now() + timedelta(minutes=2))
    assert notify_services.retry_failed() == 0  # still busy
    monkeypatch.setattr(push_channel, "webpush", _answer([201], calls))
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert notify_services.retry_failed() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.body) == ("sent", 3, "")
    assert notify_services.retry_failed() == 0
    assert _say(member) == {"email": "duplicate", "push": "duplicate"}  # a retried task
    assert len(calls) == 3 and len(mail.outbox) == 1
    assert PushSubscription.objects.get().failures == 0


def test_refusals_that_retrying_cannot_fix_count_against_the_subscription(
    member: Any, keys: ClientKeys, monkeypatch: Any
) -> None:
    _sub(member, keys)
    notify_services.set_preferences(actor=member, choices={"message": {"push": "now"}})
    monkeypatch.setattr(push_channel, "webpush", _answer([403], []))
    for i in range(push_channel.MAX_FAILURES - 1):
        assert _say(member, key=f"k{i}")["push"] == "sent"  # nothing to retry
    assert PushSubscription.objects.get().failures == push_channel.MAX_FAILURES - 1
    _say(member, key="last")
    assert not PushSubscription.objects.exists()


def test_a_push_service_on_a_private_address_is_never_posted_to(
    member: Any, keys: ClientKeys, monkeypatch: Any
) -> None:
    _sub(member, keys)
    monkeypatch.setattr(push_channel, "_addresses", lambda host: ["10.1.2.3"])
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(push_channel, "webpush", _answer([201], calls))
    assert push_channel.deliver(user=member, payload={"title": "x"}) == 0
    assert calls == [] and PushSubscription.objects.get().failures == 1


def test_the_channel_is_registered_with_notify() -> None:
    channel = get_channel("push")
    assert isinstance(channel, push_channel.PushChannel)
    assert channel.default_mode(get_kind("message")) == "off"


# --- The page ------------------------------------------------------------------------------


def test_devices_page_lists_removes_and_tests(
    client: Any,
    member: Any,
    host: Any,
    keys: ClientKeys,
    monkeypatch: Any,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("push:devices")
    assert client.get(url).status_code == 302  # log in first
    client.force_login(member)
    client.cookies["django_language"] = "en"
    page = client.get(url)
    assert page.status_code == 200 and b"No devices yet" in page.content
    sub = _sub(member, keys)
    _sub(host, ClientKeys(seed=9), MOZ)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert b"Phone" in page.content and MOZ.encode() not in page.content
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(push_channel, "webpush", _answer([201], calls))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("push:test"), follow=True)
    assert b"A test notification is on its way" in response.content
    assert len(calls) == 1 and "Kring" in calls[0]["data"]
    # someone else's device: nothing happens
    theirs = PushSubscription.objects.get(user=host)
    response = client.post(reverse("push:remove", args=[theirs.pk]), follow=True)
    assert b"There is no such device" in response.content
    client.cookies["django_language"] = "nl"
    assert b"Dat apparaat bestaat niet" not in client.get(url).content  # shown once
    assert b"Je apparaten" in client.get(url).content
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("push:remove", args=[sub.pk]))
    assert not PushSubscription.objects.filter(user=member).exists()


def test_preferences_page_links_to_the_devices_page_and_shows_push_with_a_device(
    client: Any, member: Any, keys: ClientKeys
) -> None:
    client.force_login(member)
    page = client.get(reverse("notify:preferences"))
    assert reverse("push:devices").encode() in page.content
    assert b"message__push" not in page.content
    _sub(member, keys)
    page = client.get(reverse("notify:preferences"))
    assert b"message__push" in page.content


def test_export_has_the_device_labels_and_erasure_deletes_them(
    member: Any, keys: ClientKeys
) -> None:
    _sub(member, keys)
    with zipfile.ZipFile(io.BytesIO(build_export(user=member))) as archive:
        [row] = json.loads(archive.read("json/push.PushSubscription.json"))
    assert row["device"] == "Phone" and row["endpoint"] == FCM
    assert "auth" not in row and "p256dh" not in row  # the device's keys stay here
    erase_account(user=member)
    assert not PushSubscription.objects.exists()


def test_vapid_key_from_the_setting_or_generated_once_into_the_data_folder(
    settings: Any, tmp_path: Any
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from kring.push import vapid

    settings.KRING_VAPID_PRIVATE_KEY = ""
    settings.KRING_VAPID_KEY_FILE = tmp_path / "vapid_private_key.pem"
    generated = vapid.public_key()
    assert (tmp_path / "vapid_private_key.pem").stat().st_mode & 0o777 == 0o600
    vapid._cache.clear()
    assert vapid.public_key() == generated  # read back, not made anew
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    settings.KRING_VAPID_PRIVATE_KEY = pem
    assert vapid.public_key() == vapid.b64url(point)
    settings.KRING_VAPID_PRIVATE_KEY = vapid.b64url(
        key.private_numbers().private_value.to_bytes(32)
    )
    assert vapid.public_key() == vapid.b64url(point)
    settings.KRING_VAPID_PRIVATE_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured):
        vapid.public_key()


def test_vapid_subject_defaults_to_the_from_address(settings: Any) -> None:
    from kring.push import vapid

    settings.DEFAULT_FROM_EMAIL = "Kring <hallo@kring.example>"
    settings.KRING_VAPID_SUBJECT = ""
    assert vapid.subject() == "mailto:hallo@kring.example"
    settings.KRING_VAPID_SUBJECT = "https://kring.example/contact"
    assert vapid.subject() == "https://kring.example/contact"
