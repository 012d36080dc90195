"""The public page cached whole for anonymous visitors (kring.public.cache): nothing of one
visitor, language, theme or member leaks into another's page, and every use-case that
changes what the page shows makes the next visitor see it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client
from django.utils import timezone

from kring.gatherings import services as gatherings
from kring.knowledge import services as knowledge
from kring.networks import services as networks
from kring.public import cache as page_cache
from kring.results import services as results

pytestmark = pytest.mark.django_db
PAGE = "/n/testnet/"


@pytest.fixture
def public_network(network: Any, host: Any, member: Any) -> Any:
    network.public_page_enabled = True
    network.save()
    return network


def _nonce(response: Any) -> str:
    header = response["Content-Security-Policy"]
    return re.search(r"'nonce-([^']+)'", header).group(1)


def _csrf_in_page(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_second_visitor_is_served_from_the_cache(
    public_network: Any, django_assert_max_num_queries: Any
) -> None:
    first = Client().get(PAGE)
    assert first.status_code == 200
    with django_assert_max_num_queries(3):  # the network, the version, the page
        second = Client().get(PAGE)
    assert second.status_code == 200
    assert "Test network" in second.content.decode()


def test_each_visitor_gets_their_own_nonce_and_csrf_token(public_network: Any) -> None:
    a, b = Client(), Client()
    pages = []
    for client in (a, b, a):
        r = client.get(PAGE)
        html = r.content.decode()
        nonce = _nonce(r)
        assert page_cache.NONCE not in html and page_cache.CSRF not in html
        assert f'nonce="{nonce}"' in html  # the header's nonce is the page's
        assert html.count('nonce="') == html.count(f'nonce="{nonce}"')
        tokens = _csrf_in_page(html)
        assert tokens and all(len(t) == 64 for t in tokens)
        pages.append((nonce, tokens, r.cookies.get("csrftoken")))
    assert pages[0][0] != pages[1][0] != pages[2][0]
    assert pages[0][1] != pages[1][1]
    # A's forms post with A's cookie: the token in A's page unmasks to A's secret.
    from django.middleware.csrf import _unmask_cipher_token

    secret_a = a.cookies["csrftoken"].value
    secret_b = b.cookies["csrftoken"].value
    assert secret_a != secret_b
    assert {_unmask_cipher_token(t) for t in pages[2][1]} == {secret_a}


def test_languages_get_their_own_page(public_network: Any) -> None:
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(PAGE).content.decode()
    nl = Client(HTTP_ACCEPT_LANGUAGE="nl").get(PAGE).content.decode()
    en_again = Client(HTTP_ACCEPT_LANGUAGE="en").get(PAGE).content.decode()
    assert '<html lang="en"' in en and '<html lang="en"' in en_again
    assert '<html lang="nl"' in nl
    assert "Upcoming open gatherings" in en and "Upcoming open gatherings" not in nl


def test_theme_choice_is_not_shared(public_network: Any) -> None:
    dark = Client()
    dark.cookies["kring_theme"] = "dark"
    assert 'data-theme="dark"' in dark.get(PAGE).content.decode()
    assert 'data-theme="dark"' not in Client().get(PAGE).content.decode()


def test_member_and_visitor_never_share_a_page(public_network: Any, member: Any) -> None:
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in.force_login(member)
    for _ in range(2):  # in either order, with the cache warm
        v = visitor.get(PAGE)
        m = signed_in.get(PAGE)
        assert 'href="/n/testnet/home/"' not in v.content.decode()
        assert member.email not in v.content.decode()
        assert 'href="/n/testnet/home/"' in m.content.decode()
        assert "private" in m["Cache-Control"]
        assert "private" in v["Cache-Control"] and "Cookie" in v["Vary"]
        assert v["ETag"] != m["ETag"]


def test_pending_messages_are_shown_and_never_cached(public_network: Any, rf: Any) -> None:
    request = rf.get(PAGE)
    request.session = Client().session
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.SUCCESS, "Alleen voor jou")
    assert not page_cache.cacheable_request(request)
    Client().get(PAGE)  # a cached page exists; the message is not in it
    assert "Alleen voor jou" not in Client().get(PAGE).content.decode()
    assert len(get_messages(request)) == 1  # still there to be shown


def test_etag_and_304(public_network: Any) -> None:
    client = Client()
    client.get(PAGE)
    r = client.get(PAGE)
    assert r.status_code == 200 and r["ETag"].startswith('"')
    again = client.get(PAGE, headers={"If-None-Match": r["ETag"]})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == r["ETag"]
    # Another visitor's copy carries another CSRF token: not theirs to reuse.
    other = Client()
    other.get(PAGE)
    assert other.get(PAGE, headers={"If-None-Match": r["ETag"]}).status_code == 200


def test_use_cases_invalidate_the_page(public_network: Any, host: Any, member: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    etag = client.get(PAGE)["ETag"]

    def fresh(text: str) -> None:
        nonlocal etag
        r = client.get(PAGE, headers={"If-None-Match": etag})
        assert r.status_code == 200, "the page did not change"
        assert text in r.content.decode()
        etag = r["ETag"]

    networks.update_network(actor=host, network=public_network, data={"name": "Nieuwe naam"})
    fresh("Nieuwe naam")
    knowledge.create_post(
        actor=member, network=public_network, title="Openbare les", body="x", visibility="public"
    )
    fresh("Openbare les")
    start = timezone.now() + timedelta(days=5)
    gatherings.create_gathering(
        actor=host,
        network=public_network,
        title="Open avond",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        open_to_guests=True,
    )
    fresh("Open avond")
    results.create_objective(
        actor=host,
        network=public_network,
        title="Starters geholpen",
        unit="people",
        target=Decimal(40),
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        visibility="public",
    )
    fresh("Starters geholpen")


def test_invalidate_changes_the_version_of_one_network_only(
    public_network: Any, other_network: Any
) -> None:
    mine, theirs = page_cache.version(public_network.pk), page_cache.version(other_network.pk)
    page_cache.invalidate(public_network)
    assert page_cache.version(public_network.pk) != mine
    assert page_cache.version(other_network.pk) == theirs


def test_warm_up_renders_the_public_pages(
    transactional_db: Any,
    public_network: Any,
    other_network: Any,
    django_assert_max_num_queries: Any,
    settings: Any,
) -> None:
    """``kring serve`` warms up (kring.core.warm): the public pages are rendered before the
    first visitor comes, in every language. The warm-up closes the database connections (as
    every request does, and before gunicorn forks), so the test runs outside a transaction."""
    from django.core.wsgi import get_wsgi_application

    from kring.core.warm import warm_up

    settings.SITE_URL = "http://kring.example:8443"  # where visitors come: pages for that host
    settings.ALLOWED_HOSTS = ["localhost", "kring.example"]
    assert page_cache.warm_paths() == ["/n/testnet/"]  # only pages that are switched on
    warm_up(get_wsgi_application())
    for language in ("en", "nl"):
        with django_assert_max_num_queries(3):  # served from the cache at once
            r = Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST="kring.example:8443").get(PAGE)
        assert f'<html lang="{language}"' in r.content.decode()
