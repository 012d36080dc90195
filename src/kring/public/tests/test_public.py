from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from kring.commitment import services as commitment
from kring.gatherings import models as gatherings
from kring.knowledge import services as knowledge
from kring.public.digest import deliver_digest, digest_tick, iso_week
from kring.public.models import DigestSend
from kring.public.share import clean_instance
from kring.results import models as results

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def public_network(network: Any, member: Any, host: Any) -> Any:
    from kring.people.models import Visibility

    network.public_page_enabled = True
    network.for_whom = "Starters in Utrecht"
    network.save()
    host.profile.visibility = Visibility.PUBLIC
    host.profile.save()
    knowledge.create_post(
        actor=member,
        network=network,
        title="Open les",
        body="Iedereen mag dit lezen.",
        visibility="public",
    )
    knowledge.create_post(
        actor=member,
        network=network,
        title="Geheim verslag",
        body="Alleen voor leden.",
        visibility="members",
    )
    return network


def test_public_page_shows_nothing_members_only(client: Any, public_network: Any) -> None:
    html = client.get("/n/testnet/").content.decode()
    assert "Open les" in html and "Hanna Host" in html and "Starters in Utrecht" in html
    assert "Geheim verslag" not in html
    assert "Mila Member" not in html  # her profile is visible to her networks only
    assert "member@test.example" not in html and "host@test.example" not in html


def test_public_page_off(client: Any, network: Any, member: Any, outsider: Any) -> None:
    assert client.get("/n/testnet/").status_code == 404
    client.force_login(outsider)
    assert client.get("/n/testnet/").status_code == 404
    client.force_login(member)
    r = client.get("/n/testnet/")
    assert r.status_code == 302 and r["Location"] == "/n/testnet/home/"
    assert client.get("/n/testnet/feed.atom").status_code == 404


def test_public_post_hides_members_only(client: Any, public_network: Any) -> None:
    from kring.knowledge.models import Post

    secret = Post.objects.get(title="Geheim verslag")
    open_ = Post.objects.get(title="Open les")
    assert client.get(f"/n/testnet/posts/{secret.pk}/").status_code == 404
    assert client.get(f"/n/testnet/posts/{open_.pk}/").status_code == 200


def test_conditional_get(client: Any, public_network: Any) -> None:
    client.get("/n/testnet/")  # the first visit sets the CSRF cookie, part of the ETag
    r = client.get("/n/testnet/")
    assert r["ETag"]
    again = client.get("/n/testnet/", headers={"If-None-Match": r["ETag"]})
    assert again.status_code == 304
    knowledge.create_post(
        actor=public_network.memberships.first().user,
        network=public_network,
        title="Nieuw",
        body="x",
        visibility="public",
    )
    changed = client.get("/n/testnet/", headers={"If-None-Match": r["ETag"]})
    assert changed.status_code == 200 and "Nieuw" in changed.content.decode()


def test_atom_feed_is_valid(client: Any, public_network: Any) -> None:
    r = client.get("/n/testnet/feed.atom")
    assert r["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Test network"
    titles = [e.title for e in feed.entries]
    assert titles == ["Open les"]
    assert re.search(r"/n/testnet/posts/\d+/$", feed.entries[0].link)


def _json_ld(html: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S)
    assert m, "JSON-LD with a nonce is missing"
    return json.loads(m.group(1))


def test_json_ld_and_open_graph(client: Any, public_network: Any) -> None:
    html = client.get("/n/testnet/").content.decode()
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org"
    by_type: dict[str, list[dict[str, Any]]] = {}
    for item in data["@graph"]:
        by_type.setdefault(item["@type"], []).append(item)
    org = by_type["Organization"][0]
    assert org["name"] == "Test network" and org["url"].endswith("/n/testnet/")
    article = by_type["Article"][0]
    for key in ("headline", "datePublished", "author", "url"):
        assert article[key]
    assert [a["headline"] for a in by_type["Article"]] == ["Open les"]
    assert '<meta property="og:title" content="Test network">' in html
    assert 'name="twitter:card"' in html


def test_json_ld_event(public_network: Any) -> None:
    from types import SimpleNamespace

    from kring.public import structured

    g = SimpleNamespace(
        pk=3,
        title="Borrel </script>",
        description="",
        venue_name="Bieb",
        venue_address="Oudegracht 1",
        online_url="",
        capacity=10,
        seats_taken=10,
        guest_contribution_cents=750,
        starts_at=datetime(2026, 12, 3, 19, tzinfo=AMS),
        ends_at=datetime(2026, 12, 3, 21, tzinfo=AMS),
    )
    ev = structured.event(
        public_network,
        g,
        url="https://x/n/testnet/#g3",
        org_url="https://x/n/testnet/",
        signup_url="https://x/signup",
    )
    for key in ("name", "startDate", "location", "offers"):
        assert ev[key]
    assert ev["location"]["address"]["streetAddress"] == "Oudegracht 1"
    assert ev["offers"]["availability"].endswith("SoldOut")
    assert ev["offers"]["price"] == "7.50"  # the real contribution, never a made-up 0.00
    g.guest_contribution_cents = None
    unstated = structured.event(
        public_network, g, url="https://x/#g3", org_url="https://x/", signup_url=None
    )
    assert "offers" not in unstated
    embedded = str(structured.graph([ev]))
    assert "</script>" not in embedded and json.loads(embedded)["@graph"][0]["name"] == g.title


def test_sitemap_lists_only_public(client: Any, public_network: Any, other_network: Any) -> None:
    xml = client.get("/sitemap.xml").content.decode()
    assert "/n/testnet/" in xml and "/n/othernet/" not in xml
    assert xml.count("/posts/") == 1


def test_share_links_and_mastodon(client: Any, public_network: Any) -> None:
    html = client.get("/n/testnet/").content.decode()
    for needle in (
        "linkedin.com/sharing",
        "facebook.com/sharer",
        "wa.me/?text=",
        "mailto:?subject=",
    ):
        assert needle in html
    r = client.get("/share/mastodon/", {"instance": "https://Mastodon.Social/", "text": "Hoi"})
    assert r.status_code == 200 and "Location" not in r
    assert 'href="https://mastodon.social/share?text=Hoi"' in r.content.decode()
    bad = client.get("/share/mastodon/", {"instance": "javascript:alert(1)", "text": "x"})
    assert bad.status_code == 400
    assert clean_instance("@anna@fosstodon.org") == "fosstodon.org"
    assert clean_instance("javascript:alert(1)") is None


def test_share_on_mastodon_never_redirects_but_names_the_destination(client: Any) -> None:
    """Finding: /share/mastodon/?instance=evil.example redirected anywhere (open redirect)."""
    r = client.get(
        "/share/mastodon/", {"instance": "evil.example", "text": "Kijk"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 200 and "Location" not in r
    html = r.content.decode()
    assert "You are leaving Kring for evil.example" in html
    assert 'href="https://evil.example/share?text=Kijk"' in html
    for bad in (
        "evil.example/path",
        "user:pw@evil.example",
        "127.0.0.1",
        "localhost",
        "a_b.example",
    ):
        r = client.get("/share/mastodon/", {"instance": bad, "text": "x"})
        assert r.status_code in {200, 400}
        assert "https://127.0.0.1" not in r.content.decode()
    assert clean_instance("127.0.0.1") is None and clean_instance("localhost") is None
    assert clean_instance("a_b.example") is None


# --- notification settings and digest ----------------------------------------------------


def test_old_notification_settings_page_moves_to_the_person_s_choices(
    client: Any, network: Any, member: Any
) -> None:
    r = client.get("/n/testnet/notifications/")
    assert (r.status_code, r["Location"]) == (301, "/notifications/")


def test_old_digest_unsubscribe_links_still_work(
    client: Any, public_network: Any, member: Any
) -> None:
    from django.core import signing

    from kring.notify.models import Preference
    from kring.public.services import TOKEN_SALT

    token = signing.dumps([member.pk, public_network.pk, "digest"], salt=TOKEN_SALT, compress=True)
    assert client.get(f"/unsubscribe/{token}/").status_code == 200
    assert not Preference.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(f"/unsubscribe/{token}/").status_code == 200
    assert Preference.objects.get(user=member, kind="digest").mode == "off"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Tasks are enqueued on commit; run them inside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=AMS)


def test_digest_once_per_week_under_doubled_scheduler(
    public_network: Any, member: Any, host: Any, run_on_commit: Any
) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        with run_on_commit():
            call_command("tick")
        with run_on_commit():
            call_command("tick")
        with run_on_commit():
            digest_tick(MONDAY_9)
        assert (
            deliver_digest(
                user_id=member.pk,
                network_id=public_network.pk,
                week=iso_week(MONDAY_9, public_network),
            )
            is False
        )
    digests = [m for m in mail.outbox if "Test network" in m.subject]
    assert sorted(m.to[0] for m in digests) == ["host@test.example", "member@test.example"]
    assert DigestSend.objects.filter(sent_at__isnull=False).count() == 2
    msg = next(m for m in digests if m.to == ["member@test.example"])
    assert msg.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Open les" in msg.body and "Geheim verslag" in msg.body  # members see both
    assert msg.alternatives and "<html" in msg.alternatives[0][0]
    # the next week sends again
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=AMS), tick=False), run_on_commit():
        call_command("tick")
    assert len([m for m in mail.outbox if "Test network" in m.subject]) == 4


def test_digest_not_before_monday_8_and_in_member_language(
    public_network: Any, member: Any, run_on_commit: Any
) -> None:
    sunday = datetime(2026, 11, 29, 20, 0, tzinfo=AMS)
    monday_early = datetime(2026, 11, 30, 7, 30, tzinfo=AMS)
    assert digest_tick(sunday) == 2  # still due in the week of 23 November
    mail.outbox.clear()
    assert digest_tick(monday_early) == 0
    member.language = "en"
    member.save()
    with time_machine.travel(MONDAY_9, tick=False), run_on_commit():
        digest_tick(MONDAY_9)
    en = next(m for m in mail.outbox if m.to == ["member@test.example"])
    assert en.subject.startswith("Your week at")


def test_one_click_unsubscribe(
    client: Any, public_network: Any, member: Any, run_on_commit: Any
) -> None:
    with time_machine.travel(MONDAY_9, tick=False), run_on_commit():
        digest_tick(MONDAY_9)
    msg = next(m for m in mail.outbox if m.to == ["member@test.example"])
    url = msg.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    r = client.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200
    from kring.notify.models import Preference

    assert Preference.objects.get(user=member, kind="digest").mode == "off"
    assert client.get("/unsubscribe/forged-token/").status_code == 400
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=AMS), tick=False), run_on_commit():
        digest_tick(datetime(2026, 12, 7, 9, 0, tzinfo=AMS))
    assert [m.to for m in mail.outbox] == [["host@test.example"]]


def test_public_page_shows_public_objectives_only(client: Any, public_network: Any) -> None:
    from datetime import date

    for title, vis in (("Starters geholpen", "public"), ("Interne ledenwerving", "members")):
        results.Objective.objects.create(
            network=public_network,
            title=title,
            unit="people",
            target=40,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            visibility=vis,
        )
    html = client.get("/n/testnet/").content.decode()
    assert "Starters geholpen" in html
    assert "Interne ledenwerving" not in html
    assert "Progress(" not in html  # rendered as a title, not as a Python repr


def test_open_gathering_on_page_feed_and_json_ld(client: Any, public_network: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=5)
    open_g = gatherings.Gathering.objects.create(
        network=public_network,
        title="Open borrel",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue_name="Bibliotheek",
        venue_address="Oudegracht 1",
        open_to_guests=True,
        capacity=20,
        guest_contribution_cents=0,
    )
    gatherings.Gathering.objects.create(
        network=public_network,
        title="Besloten ledenavond",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        open_to_guests=False,
    )
    html = client.get("/n/testnet/").content.decode()
    assert "Open borrel" in html and "Besloten ledenavond" not in html
    assert f"/n/testnet/gatherings/{open_g.pk}/guest/" in html
    assert "/n/testnet/calendar.ics" in html
    events = [i for i in _json_ld(html)["@graph"] if i["@type"] == "Event"]
    assert len(events) == 1 and events[0]["location"]["name"] == "Bibliotheek"
    assert events[0]["offers"]["url"].endswith(f"/gatherings/{open_g.pk}/guest/")
    assert events[0]["offers"]["price"] == "0.00" and events[0]["isAccessibleForFree"]
    feed = feedparser.parse(client.get("/n/testnet/feed.atom").content)
    assert feed.bozo == 0
    assert any("Open borrel" in e.title for e in feed.entries)
    assert not any("Besloten" in e.title for e in feed.entries)


def test_digest_sections_from_other_apps(public_network: Any, member: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kring.people.services import set_profile_tags
    from kring.public.digest import digest_context

    set_profile_tags(profile=member.profile, tags={"talent": ["boekhouding"]})
    results.HelpRequest.objects.create(
        network=public_network,
        name="Sam",
        email="sam@example.org",
        need="Hulp met mijn btw",
        tags=["Boekhouding"],
        status="open",
        token_hash="a" * 64,
        token_salt="s",
    )
    results.HelpRequest.objects.create(
        network=public_network,
        name="Kim",
        email="kim@example.org",
        need="Een logo",
        tags=["ontwerp"],
        status="open",
        token_hash="b" * 64,
        token_salt="t",
    )
    start = timezone.now() + timedelta(days=2)
    g = gatherings.Gathering.objects.create(
        network=public_network,
        title="Maandavond",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    gatherings.ActionItem.objects.create(
        network=public_network, gathering=g, owner=member, title="Offerte sturen"
    )
    ctx = digest_context(user=member, network=public_network)
    assert [r["title"] for r in ctx["requests"]] == ["Hulp met mijn btw"]
    assert ctx["next_gathering"]["title"] == "Maandavond"
    assert ctx["next_gathering"]["has_read"] is False
    assert [a["title"] for a in ctx["actions"]] == ["Offerte sturen"]
    assert {p["title"] for p in ctx["posts"]} == {"Open les", "Geheim verslag"}


def test_public_page_query_count(
    client: Any, public_network: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.models import Visibility
    from kring.people.tests.factories import UserFactory

    for i in range(12):
        user = UserFactory(profile__display_name=f"Zelda {i}")
        user.profile.visibility = Visibility.PUBLIC
        user.profile.save()
        MembershipFactory(network=public_network, user=user)
        knowledge.create_post(
            actor=member,
            network=public_network,
            title=f"Les {i}",
            body="x",
            visibility="public",
            tags=f"t{i}",
        )
    client.get("/n/testnet/")
    from kring.core.testing import clear_cache

    clear_cache()
    # Rendered afresh (on SQLite the cache is a table: its reads and writes count too).
    with django_assert_max_num_queries(36):
        r = client.get("/n/testnet/")
    assert r.status_code == 200 and r.content.decode().count("Zelda ") == 12
    # Then served whole from the cache: the network, the version and the page.
    with django_assert_max_num_queries(3):
        r = client.get("/n/testnet/")
    assert r.status_code == 200 and r.content.decode().count("Zelda ") == 12


def _public_objective(network: Any) -> None:
    from datetime import date

    results.Objective.objects.create(
        network=network,
        title="Starters geholpen",
        unit="people",
        target=40,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        visibility="public",
    )


def test_public_page_includes_results_impact(client: Any, public_network: Any) -> None:
    _public_objective(public_network)
    html = client.get("/n/testnet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="public-impact-h"' in html and "Our impact" in html
    assert "Contributions per month" in html  # the chart and its table
    assert html.count("/results/ask/") == 1  # the hero's button only, no second one


def test_public_page_cached_per_language(client: Any, public_network: Any) -> None:
    """Labels from other apps are translated when computed: an English visitor must not
    leave English units in the cache for the next Dutch one."""
    _public_objective(public_network)
    en = client.get("/n/testnet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    nl = client.get("/n/testnet/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "people helped" in en
    assert "mensen geholpen" in nl and "people helped" not in nl


def test_public_page_shows_health_only_when_published(
    client: Any, public_network: Any, host: Any
) -> None:
    from kring.core.testing import clear_cache

    html = client.get("/n/testnet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="health-h"' not in html
    commitment.update_settings(actor=host, network=public_network, data={"publish_health": True})
    clear_cache()
    html = client.get("/n/testnet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="health-h"' in html and "How healthy our network is" in html
    assert "<caption" in html and 'scope="row"' in html
