"""Member pages cached per viewer (kring.core.pagecache): served again only while no table the
page read has been written to, never to another viewer, language or session, with a fresh CSP
nonce per answer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import INFO
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils import timezone

from kring.core import pagecache
from kring.networks.models import Network

pytestmark = pytest.mark.django_db
HOME = "/n/testnet/home/"
PEOPLE = "/n/testnet/people/"


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _warm(client: Client, path: str) -> Any:
    """Request until the page is stored (the first rendering of a view in a process may only
    learn which tables it reads); return the answer that was served from the cache."""
    for _ in range(4):
        response = client.get(path)
        assert response.status_code == 200
        if response["X-Kring-Cache"] == "hit":
            return response
    raise AssertionError(f"{path} never came from the cache")


def test_a_repeated_page_comes_from_the_cache_with_the_same_content(
    network: Any, member: Any
) -> None:
    client = _client(member)
    first = client.get(HOME)
    hit = _warm(client, HOME)
    strip = re.compile(r'nonce="[^"]*"|value="[^"]{64}"|"X-CSRFToken": "[^"]*"')
    assert strip.sub("", hit.content.decode()) == strip.sub("", first.content.decode())


def test_a_write_to_a_table_the_page_read_shows_at_once(network: Any, member: Any) -> None:
    client = _client(member)
    _warm(client, HOME)
    Network.objects.filter(pk=network.pk).update(name="Het Nieuwe Netwerk")
    response = client.get(HOME)
    assert response["X-Kring-Cache"] == "miss"
    assert "Het Nieuwe Netwerk" in response.content.decode()


def test_a_changed_profile_shows_in_the_directory(network: Any, member: Any, host: Any) -> None:
    from kring.people import services as people

    client = _client(host)
    _warm(client, PEOPLE)
    people.update_profile(
        actor=member, profile=member.profile, data={"passion": "Glasblazen"}, tags={}
    )
    assert "Glasblazen" in client.get(PEOPLE).content.decode()


def test_never_another_viewers_page(network: Any, member: Any, host: Any) -> None:
    mine = _client(member)
    _warm(mine, HOME)
    theirs = _client(host)
    response = theirs.get(HOME)
    assert response["X-Kring-Cache"] == "miss"
    assert response.wsgi_request.user == host


def test_never_another_sessions_or_languages_page(network: Any, member: Any) -> None:
    english = _client(member, "en")
    _warm(english, HOME)
    other_session = _client(member, "en")
    assert other_session.get(HOME)["X-Kring-Cache"] == "miss"
    dutch = _client(member, "nl")
    response = dutch.get(HOME)
    assert response["X-Kring-Cache"] == "miss"
    assert 'lang="nl"' in response.content.decode()


def test_every_answer_has_its_own_nonce_matching_its_policy(network: Any, member: Any) -> None:
    client = _client(member)
    nonces = set()
    for response in [client.get(HOME), _warm(client, HOME), client.get(HOME)]:
        in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert len(in_page) == 1, in_page
        (nonce,) = in_page
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert pagecache.NONCE not in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 3


def test_pending_messages_are_shown_not_a_stored_page(network: Any, member: Any) -> None:
    client = _client(member)
    _warm(client, HOME)
    # A message waiting in its cookie, as a form post leaves one before its redirect.
    storage = CookieStorage(HttpRequest())
    storage.add(INFO, "Opgeslagen en wel")
    answer = HttpResponse()
    storage.update(answer)
    client.cookies[storage.cookie_name] = answer.cookies[storage.cookie_name].value
    response = client.get(HOME)
    assert response.get("X-Kring-Cache") != "hit"
    assert "Opgeslagen en wel" in response.content.decode()


def test_time_passing_ends_a_stored_page(network: Any, member: Any, time_machine: Any) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    client = _client(member)
    _warm(client, HOME)
    time_machine.shift(timedelta(seconds=pagecache_seconds() + 1))
    assert client.get(HOME)["X-Kring-Cache"] == "miss"


def pagecache_seconds() -> int:
    from django.conf import settings

    return int(settings.KRING_PAGE_CACHE_SECONDS)


def test_off_renders_every_request(network: Any, member: Any, settings: Any) -> None:
    settings.KRING_PAGE_CACHE = False
    client = _client(member)
    for _ in range(3):
        assert "X-Kring-Cache" not in client.get(HOME)


def test_a_write_gives_its_table_a_new_version_now_and_after_commit(network: Any) -> None:
    table = Network._meta.db_table
    before = pagecache.versions(frozenset([table]))[table]
    with transaction.atomic():
        Network.objects.filter(pk=network.pk).update(name="Een")
        during = pagecache.versions(frozenset([table]))[table]
        Network.objects.filter(pk=network.pk).update(name="Twee")
        bumps = [
            f
            for _, f, _ in connection.run_on_commit
            if isinstance(f, pagecache._Bump) and f.table == table
        ]
    assert during != before
    assert len(bumps) == 1  # one after-commit bump per table and transaction
    bumps[0]()
    assert pagecache.versions(frozenset([table]))[table] not in {before, during}


def test_an_evicted_version_comes_back_new(network: Any) -> None:
    from django.core.cache import cache

    table = Network._meta.db_table
    old = pagecache.versions(frozenset([table]))[table]
    cache.delete(pagecache._version_key(table))
    assert pagecache.versions(frozenset([table]))[table] != old


def test_bulk_writes_while_paused_void_every_page_at_the_end(network: Any, member: Any) -> None:
    client = _client(member)
    _warm(client, HOME)
    table = Network._meta.db_table
    before = pagecache.versions(frozenset([table]))[table]
    with pagecache.paused():
        Network.objects.filter(pk=network.pk).update(name="Stil Bijgewerkt")
        assert pagecache.versions(frozenset([table]))[table] == before
    response = client.get(HOME)
    assert response["X-Kring-Cache"] == "miss"
    assert "Stil Bijgewerkt" in response.content.decode()


def test_the_sql_parsers(network: Any) -> None:
    assert pagecache._WRITE.match('INSERT INTO "gatherings_rsvp" ("a") VALUES (1)')[1] == (
        "gatherings_rsvp"
    )
    assert pagecache._WRITE.match('UPDATE "networks_network" SET "name" = 1')[1] == (
        "networks_network"
    )
    assert pagecache._WRITE.match('DELETE FROM "ledger_expense" WHERE 1')[1] == "ledger_expense"
    assert pagecache._WRITE.match('SELECT "x" FROM "networks_network"') is None
    found = pagecache._READ.findall(
        'SELECT 1 FROM "a_b" INNER JOIN "c_d" ON 1 LEFT OUTER JOIN e_f ON 1 WHERE x IN '
        '(SELECT 1 FROM "g_h")'
    )
    assert found == ["a_b", "c_d", "e_f", "g_h"]
    assert connection.vendor in {"sqlite", "postgresql"}


def test_a_changed_session_is_a_new_page(network: Any, member: Any) -> None:
    client = _client(member)
    _warm(client, HOME)
    session = client.session
    session["kring-test-flag"] = "dismissed"
    session.save()
    assert client.get(HOME)["X-Kring-Cache"] == "miss"
