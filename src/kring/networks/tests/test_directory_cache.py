"""The directory's person cards are cached per process under a digest of what they show
(kring.networks.templatetags.kring_people): a card never shows another viewer's, another
language's or an older profile's content."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

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
