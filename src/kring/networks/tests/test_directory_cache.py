"""The directory's person cards are cached per process under a digest of what they show
(kring.networks.directory): a card never shows another viewer's, another language's or an
older profile's content, and a cached page is the page rendered afresh."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kring.networks.models import Membership, MembershipStatus
from kring.people import services as people

pytestmark = pytest.mark.django_db
PAGE = "/n/testnet/people/"


def _photo() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (200, 200), (20, 120, 80)).save(buf, "PNG")
    return SimpleUploadedFile("me.png", buf.getvalue(), content_type="image/png")


def test_a_changed_profile_shows_at_once(network: Any, member: Any, host: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(host)
    assert "Pottenbakken" not in client.get(PAGE).content.decode()
    people.update_profile(
        actor=member,
        profile=member.profile,
        data={"passion": "Pottenbakken"},
        tags={"passion": ["klei"]},
    )
    html = client.get(PAGE).content.decode()
    assert "Pottenbakken" in html and "klei" in html


def test_cards_per_language(network: Any, member: Any, host: Any) -> None:
    en, nl = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="nl")
    en.force_login(member)
    nl.force_login(member)
    for _ in range(2):  # in either order, the cache warm the second time
        english = en.get(PAGE).content.decode()
        dutch = nl.get(PAGE).content.decode()
        assert 'aria-label="Passions and talents"' in english
        assert 'aria-label="Passions and talents"' not in dutch
        assert 'aria-label="Passies en talenten"' in dutch


def test_own_photo_address_is_not_shared(network: Any, member: Any, host: Any) -> None:
    people.update_profile(actor=member, profile=member.profile, data={}, photo=_photo())
    mine, theirs = Client(), Client()
    mine.force_login(member)
    theirs.force_login(host)
    for _ in range(2):  # in either order, the cache warm the second time
        own = mine.get(PAGE).content.decode()
        other = theirs.get(PAGE).content.decode()
        assert 'src="/me/photo/"' in own
        assert f"/n/testnet/people/{member.pk}/photo" not in own
        assert f"/n/testnet/people/{member.pk}/photo" in other
        assert 'src="/me/photo/"' not in other


def test_a_cached_page_is_the_page_rendered_afresh(network: Any, member: Any, host: Any) -> None:
    people.update_profile(
        actor=member,
        profile=member.profile,
        data={"passion": "Fietsen & <zeilen>", "city": "Zwolle"},
        tags={"passion": ["fiets"], "talent": ["zeil", "anker"]},
    )
    Membership.objects.filter(user=member).update(status=MembershipStatus.PAUSED)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(host)
    caches["fragments"].clear()
    cold = client.get(PAGE).content.decode()
    warm = client.get(PAGE).content.decode()
    assert cold.count('class="card person"') == warm.count('class="card person"') == 2

    def cards(html: str) -> str:
        return html.split('id="results"', 1)[1].split("</main>", 1)[0]

    cold_cards = cards(cold)
    assert cold_cards == cards(warm)
    assert "Fietsen &amp; &lt;zeilen&gt;" in cold_cards and "Zwolle" in cold_cards
    assert '<li class="tag talent">anker</li>' in cold_cards  # sorted, as before
    assert '<span class="badge">host</span>' in cold_cards
    assert 'class="badge warn"' in cold_cards  # paused


def test_a_paused_member_shows_at_once(network: Any, member: Any, host: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(host)
    assert "paused</span>" not in client.get(PAGE).content.decode()
    Membership.objects.filter(user=member).update(status=MembershipStatus.PAUSED)
    assert "paused</span>" in client.get(PAGE).content.decode()
