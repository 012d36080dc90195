"""The knowledge list's posts are rendered once per process under a digest of what each shows
(kring.knowledge.listing): a changed post, a new comment or tag and a renamed author show at
once, each language and time zone gets its own, and a cached list is the list rendered afresh."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from kring.knowledge import services
from kring.knowledge.models import Post
from kring.people import services as people

pytestmark = pytest.mark.django_db
PAGE = "/n/testnet/knowledge/"


def _post(actor: Any, network: Any, **kw: Any) -> Post:
    data = {"title": "Eerste klant", "body": "Wat we *leerden*", "visibility": "members"}
    data.update(kw)
    return services.create_post(actor=actor, network=network, **data)


def _list(html: str) -> str:
    return html.split('id="posts-h"', 1)[1].split("<aside>", 1)[0]


def test_a_changed_post_shows_at_once(network: Any, member: Any, host: Any) -> None:
    post = _post(member, network, tags="klanten")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(host)
    before = _list(client.get(PAGE).content.decode())
    assert "Eerste klant" in before and "Wat we leerden" in before and ">klanten<" in before
    services.update_post(
        actor=member, post=post, title="Tweede klant", body="Nieuw", tags="klanten, sales"
    )
    after = _list(client.get(PAGE).content.decode())
    assert "Tweede klant" in after and "Nieuw" in after and ">sales<" in after
    assert "Eerste klant" not in after
    services.add_comment(actor=host, post=post, body="Mooi!")
    assert "1 comment" in _list(client.get(PAGE).content.decode())
    people.update_profile(actor=member, profile=member.profile, data={"display_name": "Mira M"})
    assert "Mira M ·" in _list(client.get(PAGE).content.decode())


def test_posts_per_language(network: Any, member: Any) -> None:
    _post(member, network, visibility="public")
    en, nl = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="nl")
    en.force_login(member)
    nl.force_login(member)
    for _ in range(2):  # in either order, the cache warm the second time
        english = _list(en.get(PAGE).content.decode())
        dutch = _list(nl.get(PAGE).content.decode())
        assert '<span class="badge">public</span>' in english
        assert '<span class="badge">openbaar</span>' in dutch
        assert "public</span>" not in dutch


def test_a_cached_list_is_the_list_rendered_afresh(network: Any, member: Any, host: Any) -> None:
    post = _post(member, network, summary="Kort & <goed>", tags="b-tag, a-tag")
    _post(host, network, title="Van de host", body="# Kop\n\nTekst " * 30)
    services.add_comment(actor=host, post=post, body="Eens")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(member)
    caches["fragments"].clear()
    cold = _list(client.get(PAGE).content.decode())
    warm = _list(client.get(PAGE).content.decode())
    assert cold == warm and cold.count('class="card post-item"') == 2
    assert "Kort &amp; &lt;goed&gt;" in cold and "1 reactie" in cold
    assert cold.index(">a-tag<") < cold.index(">b-tag<")
