"""Following by e-mail (double opt-in, one-click unsubscribe) and the embeddable widgets."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from kring.core import antispam
from kring.gatherings import services as gatherings
from kring.public import followers
from kring.public.models import EmbedSettings, Follower

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def _setup(settings: Any, monkeypatch: Any) -> None:
    from django.db import transaction

    settings.LANGUAGE_CODE = "en"
    settings.KRING_ANTISPAM_MAX_NUMBER = 50
    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture
def public_network(network: Any) -> Any:
    network.public_page_enabled = True
    network.save()
    return network


def _confirm_url(message: Any) -> str:
    return re.search(r"https?://\S+/follow/\S+/confirm/", message.body).group(0)


def _follow_api(client: Any, slug: str, email: str) -> Any:
    return client.post(
        f"/api/v1/networks/{slug}/followers",
        {"email": email, "altcha": antispam.solve_challenge(antispam.create_challenge())},
        content_type="application/json",
    )


def test_double_opt_in_then_news_and_one_click_unsubscribe(
    client: Any, public_network: Any, host: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        r = _follow_api(client, "testnet", "Fien@Example.org")
        assert r.status_code == 202
        assert len(mail.outbox) == 1  # only the confirmation
        confirm = mail.outbox[0]
        assert confirm.to == ["fien@example.org"]
        assert confirm.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        start = NOW + timedelta(days=5)
        g = gatherings.create_gathering(
            actor=host,
            network=public_network,
            title="Open Coffee",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            open_to_guests=True,
        )
        followers.followers_tick(NOW)
        assert len(mail.outbox) == 1  # pending: nothing before confirmation
        path = _confirm_url(confirm).split("://", 1)[1].split("/", 1)[1]
        assert "Yes, follow" in client.get("/" + path).content.decode()  # GET changes nothing
        assert not Follower.objects.get().confirmed_at
        client.post("/" + path)
        f = Follower.objects.get()
        assert f.is_active
        followers.followers_tick(NOW)
        news = [m for m in mail.outbox if "Open Coffee" in m.subject]
        assert len(news) == 1 and f"/gatherings/{g.pk}/guest/" in news[0].body
        followers.followers_tick(NOW)  # idempotent
        assert len([m for m in mail.outbox if "Open Coffee" in m.subject]) == 1
        unsub = news[0].extra_headers["List-Unsubscribe"].strip("<>")
        assert news[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # RFC 8058: a bare POST without session or CSRF token unsubscribes.
        from django.test import Client

        r = Client(enforce_csrf_checks=True).post(
            "/" + unsub.split("://", 1)[1].split("/", 1)[1],
            {"List-Unsubscribe": "One-Click"},
        )
        assert r.status_code == 200
        assert not Follower.objects.get().is_active


def test_following_twice_and_bad_address(client: Any, public_network: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        assert _follow_api(client, "testnet", "fien@example.org").status_code == 202
        f = Follower.objects.get()
        followers.confirm_follower(follower=f)
        assert _follow_api(client, "testnet", "fien@example.org").status_code == 202
        assert Follower.objects.count() == 1 and Follower.objects.get().is_active
        assert len(mail.outbox) == 1  # no second mail to an active follower
        r = _follow_api(client, "testnet", "not-an-address")
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "email"
        r = client.post(
            "/api/v1/networks/testnet/followers",
            {"email": "x@example.org", "altcha": ""},
            content_type="application/json",
        )
        assert r.status_code == 400  # no proof of work
    assert _follow_api(client, "nope", "a@example.org").status_code == 404


def test_follow_page_form_and_private_network(client: Any, network: Any) -> None:
    assert client.get("/n/testnet/follow/").status_code == 404  # no public page
    network.public_page_enabled = True
    network.save()
    html = client.get("/n/testnet/follow/").content.decode()
    assert "Follow" in html and "data-altcha" in html
    r = client.post(
        "/n/testnet/follow/",
        {"email": "bad", "altcha": antispam.solve_challenge(antispam.create_challenge())},
    )
    assert "Enter a valid email address" in r.content.decode()
    assert not Follower.objects.exists()


def test_monthly_roundup_once(public_network: Any) -> None:
    f = Follower.objects.create(
        network=public_network,
        email="a@example.org",
        token="t" * 20,
        language="en",
        confirmed_at=NOW - timedelta(days=30),
    )
    followers.followers_tick(NOW)
    followers.followers_tick(NOW + timedelta(days=2))
    roundups = [m for m in mail.outbox if "This month" in m.subject]
    assert len(roundups) == 1 and roundups[0].to == [f.email]
    followers.followers_tick(NOW + timedelta(days=6))  # December: a new month
    assert len([m for m in mail.outbox if "This month" in m.subject]) == 2


def test_host_invites_followers_to_open_gathering(
    public_network: Any, host: Any, member: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        Follower.objects.create(
            network=public_network,
            email="a@example.org",
            token="a" * 20,
            confirmed_at=NOW,
            language="en",
        )
        Follower.objects.create(network=public_network, email="p@example.org", token="p" * 20)
        start = NOW + timedelta(days=3)
        closed = gatherings.create_gathering(
            actor=host,
            network=public_network,
            title="Members only",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        with pytest.raises(followers.Conflict):
            followers.invite_followers(actor=host, gathering=closed)
        open_ = gatherings.create_gathering(
            actor=host,
            network=public_network,
            title="Brainstorm",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            open_to_guests=True,
        )
        with pytest.raises(followers.NotAllowed):
            followers.invite_followers(actor=member, gathering=open_)
        assert followers.invite_followers(actor=host, gathering=open_) == 1
        invites = [m for m in mail.outbox if "invites you" in m.subject]
        assert [m.to for m in invites] == [["a@example.org"]]  # never the pending one


# --- Widgets --------------------------------------------------------------------------------


def test_embed_frame_ancestors_only_for_listed_origins(client: Any, public_network: Any) -> None:
    r = client.get("/n/testnet/embed/gatherings/")
    assert r.status_code == 200
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]
    EmbedSettings.objects.create(
        network=public_network, origins="https://www.example.org\nhttp://localhost:8080"
    )
    r = client.get("/n/testnet/embed/gatherings/?theme=dark")
    csp = r["Content-Security-Policy"]
    assert "frame-ancestors https://www.example.org http://localhost:8080" in csp
    assert "X-Frame-Options" not in r
    assert not r.cookies  # no cookies, not even CSRF
    assert "embed-dark" in r.content.decode()
    # Everything else still refuses frames.
    page = client.get("/n/testnet/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    r = client.get("/n/testnet/embed/buttons/", headers={"referer": "https://www.example.org/x"})
    assert r.status_code == 200 and "Ask the network for help" in r.content.decode()


def test_embed_on_other_origin_says_so(client: Any, public_network: Any) -> None:
    EmbedSettings.objects.create(network=public_network, origins="https://www.example.org")
    r = client.get("/n/testnet/embed/buttons/", headers={"referer": "https://evil.example/"})
    assert r.status_code == 403
    assert "not allowed on https://evil.example" in r.content.decode()
    assert "frame-ancestors https://www.example.org" in r["Content-Security-Policy"]


def test_embed_settings_page(client: Any, public_network: Any, host: Any, member: Any) -> None:
    client.force_login(member)
    assert client.get("/n/testnet/embed/").status_code == 403
    client.force_login(host)
    r = client.post("/n/testnet/embed/", {"origins": "https://ok.example\nhttps://x.example/path"})
    assert "Not a website origin: https://x.example/path" in r.content.decode()
    assert not EmbedSettings.objects.exists()
    r = client.post("/n/testnet/embed/", {"origins": "https://OK.example/ \nhttps://ok.example"})
    assert r.status_code == 302
    assert EmbedSettings.objects.get().origin_list == ["https://ok.example"]


def test_embed_other_network_and_private(client: Any, network: Any, other_member: Any) -> None:
    assert client.get("/n/testnet/embed/gatherings/").status_code == 404  # no public page
    client.force_login(other_member)
    assert client.get("/n/testnet/embed/").status_code == 404


def test_new_network_page_has_friendly_empty_states(client: Any, public_network: Any) -> None:
    from kring.commitment.models import CommitmentSettings

    CommitmentSettings.objects.update_or_create(
        network=public_network, defaults={"publish_health": True}
    )
    html = client.get("/n/testnet/").content.decode()
    assert "No open gatherings are planned right now." in html
    assert "Follow us by e-mail to hear about the next one." in html
    assert "Nothing shared publicly yet." in html
    assert "0 / 100" not in html
    assert "not enough data yet" in html.lower()
