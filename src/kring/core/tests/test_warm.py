"""``kring serve``'s warm-up as a member (kring.core.warm, kring.networks.warm): the pages a
member opens, in every language, rendered before "ready" — and nothing written or left where
a real viewer could be served from.

The warm-up's requests go through the WSGI handler, which closes database connections after
each request (and the warm-up closes them all before gunicorn forks): these tests run
outside a transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from kring.core import audit, pagecache, warm
from kring.networks.tests.factories import MembershipFactory
from kring.networks.warm import member_visits
from kring.people.models import User

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _cached_entries() -> int:
    shared = caches["default"]
    if shared.__class__.__name__ == "DatabaseCache":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {shared._table}")  # noqa: S608 - our table
            return int(cursor.fetchone()[0])
    # Redis: this test worker's keys only (parallel workers share the database, each under
    # its own key prefix, and write to it meanwhile).
    return len(shared._cache.get_client().keys(shared.make_key("*")))


def test_a_member_of_the_most_recently_active_network_and_the_member_pages(
    network: Any, host: Any, member: Any, other_network: Any, other_member: Any
) -> None:
    audit.record(verb="test.older", network=other_network)
    audit.record(verb="test.newer", network=network)
    network.public_page_enabled = True
    network.save()
    [visit] = member_visits()
    assert visit.user == member  # a member rather than a host
    assert visit.paths[0] == "/n/testnet/"  # the public page as a member sees it
    assert {"/n/testnet/home/", "/n/testnet/people/", "/n/testnet/gatherings/"} <= set(visit.paths)
    assert f"/n/testnet/people/{host.pk}/" in visit.paths  # another member's profile
    assert "/n/testnet/members/" not in visit.paths  # host pages are not a member's
    assert not any(p.startswith("/n/othernet/") for p in visit.paths)


def test_member_pages_are_rendered_in_every_language_and_nothing_is_written(
    network: Any, host: Any, member: Any, settings: Any
) -> None:
    User.objects.filter(pk=member.pk).update(language="nl")
    network.public_page_enabled = True
    network.save()
    audit.record(verb="test.activity", network=network)
    shared = caches["default"]
    pagecache.flush()  # the set-up's writes get their page-cache versions before we count
    entries = _cached_entries()
    with CaptureQueriesContext(connection) as ctx:
        statuses = warm._visits()
    [visit] = member_visits()
    assert statuses == [200] * (len(visit.paths) * len(settings.LANGUAGES))
    writes = [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]
    assert writes == []
    assert User.objects.get(pk=member.pk).language == "nl"  # the English visit stored nothing
    assert not Session.objects.exists()  # the session lived in a signed cookie
    # The shared cache is as it was (the visits used a throwaway one), the settings too.
    assert caches["default"] is shared
    assert _cached_entries() == entries
    assert settings.KRING_PAGE_CACHE is True
    assert settings.SESSION_ENGINE != "django.contrib.sessions.backends.signed_cookies"


def test_the_warm_up_visits_cannot_write(member: Any) -> None:
    with warm._read_only_database(), pytest.raises(DatabaseError):
        User.objects.filter(pk=member.pk).update(language="en")
    User.objects.filter(pk=member.pk).update(language="en")  # afterwards it can again
    assert User.objects.get(pk=member.pk).language == "en"


def test_no_network_no_visits(db: Any) -> None:
    assert member_visits() == []
    assert warm._visits() == []


def test_a_network_of_hosts_only_is_visited_as_a_host(network: Any, host: Any) -> None:
    [visit] = member_visits()
    assert visit.user == host
    assert "/n/testnet/members/" not in visit.paths  # still the member pages only


def test_paused_members_are_not_chosen(network: Any, host: Any) -> None:
    paused = MembershipFactory(network=network, status="paused").user
    [visit] = member_visits()
    assert visit.user != paused


def test_each_worker_opens_the_visitors_pages_once_and_writes_nothing(network: Any) -> None:
    from django.core.wsgi import get_wsgi_application

    network.public_page_enabled = True
    network.save()
    seen: list[str] = []
    application = get_wsgi_application()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["PATH_INFO"])
        return application(environ, start_response)

    with CaptureQueriesContext(connection) as ctx:
        warm.warm_worker(app)
    writes = [  # the data: the cache table may take the pages it renders and page versions
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES) and '"kring_cache"' not in q["sql"]
    ]
    assert writes == []
    assert "/healthz" in seen
    assert seen.count(f"/n/{network.slug}/") == 2  # once per language
