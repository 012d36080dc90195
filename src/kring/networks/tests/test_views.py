"""Every foundation page against the personas: anonymous, outsider, other network, member, host."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from kring.core import pagecache
from kring.networks.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["home/", "people/", "membership/"]
HOST_PAGES = ["settings/", "members/", "invitations/"]


@pytest.fixture
def personas(host: Any, member: Any, outsider: Any, other_member: Any) -> dict[str, Any]:
    return {"host": host, "member": member, "outsider": outsider, "other": other_member}


@pytest.mark.parametrize("page", MEMBER_PAGES + HOST_PAGES)
def test_anonymous_is_sent_to_log_in(client: Any, network: Any, page: str) -> None:
    response = client.get(f"/n/{network.slug}/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", MEMBER_PAGES + HOST_PAGES)
@pytest.mark.parametrize("who", ["outsider", "other"])
def test_strangers_get_404(client: Any, network: Any, personas: dict, page: str, who: str) -> None:
    client.force_login(personas[who])
    assert client.get(f"/n/{network.slug}/{page}").status_code == 404


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_member_pages(client: Any, network: Any, personas: dict, page: str) -> None:
    client.force_login(personas["member"])
    assert client.get(f"/n/{network.slug}/{page}").status_code == 200


@pytest.mark.parametrize("page", HOST_PAGES)
def test_host_pages_refuse_members(client: Any, network: Any, personas: dict, page: str) -> None:
    client.force_login(personas["member"])
    assert client.get(f"/n/{network.slug}/{page}").status_code == 403
    client.force_login(personas["host"])
    assert client.get(f"/n/{network.slug}/{page}").status_code == 200


def test_person_page_only_within_network(client: Any, network: Any, personas: dict) -> None:
    url = f"/n/{network.slug}/people/{personas['host'].pk}/"
    client.force_login(personas["member"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Hanna Host" in response.content.decode()
    # A member of another network can't see it, nor someone outside the network by id.
    client.force_login(personas["other"])
    assert client.get(url).status_code == 404
    client.force_login(personas["member"])
    assert client.get(f"/n/{network.slug}/people/{personas['other'].pk}/").status_code == 404


@pytest.mark.usefixtures("render_every_request")
def test_directory_queries_do_not_grow_with_members(
    client: Any, network: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.services import set_profile_tags

    def add(n: int) -> None:
        for _ in range(n):
            m = MembershipFactory(network=network)
            set_profile_tags(profile=m.user.profile, tags={"talent": ["webdesign", "koken"]})
        # Writes outside a request: their page-cache versions now, not in the counted request.
        pagecache.flush()

    client.force_login(member)
    add(3)
    # 11: the navigation's unread-messages badge is one query on every network page.
    with django_assert_max_num_queries(11) as small:
        assert client.get(f"/n/{network.slug}/people/").status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/n/{network.slug}/people/")
    assert response.content.decode().count('class="card person"') == 34


def test_directory_filters_by_talent_and_name(client: Any, network: Any, member: Any) -> None:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.services import set_profile_tags
    from kring.people.tests.factories import UserFactory

    bram = UserFactory(profile__display_name="Bram Jansen")
    MembershipFactory(network=network, user=bram)
    set_profile_tags(profile=bram.profile, tags={"talent": ["Boekhouding"]})
    client.force_login(member)

    def results(query: str) -> str:
        body = client.get(f"/n/{network.slug}/people/?{query}").content.decode()
        return body.split('id="results"', 1)[1]

    body = results("tag=boekhouding")
    assert "Bram Jansen" in body and "Mila Member" not in body
    body = results("q=mila")
    assert "Mila Member" in body and "Bram Jansen" not in body
    fragment = client.get(f"/n/{network.slug}/people/?q=bram", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert "Bram Jansen" in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_host_updates_settings_and_member_cannot(
    client: Any, network: Any, host: Any, member: Any
) -> None:
    data = {
        "name": "Nieuwe naam",
        "city": "Utrecht",
        "kind": "starters",
        "purpose": "Starters helpen",
        "for_whom": "",
        "offer_to_third_parties": "",
        "charter": "",
        "join_policy": "open",
        "public_page_enabled": "on",
        "language": "nl",
        "time_zone": "Europe/Amsterdam",
    }
    client.force_login(member)
    assert client.post(f"/n/{network.slug}/settings/", data).status_code == 403
    client.force_login(host)
    response = client.post(f"/n/{network.slug}/settings/", data)
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.name == "Nieuwe naam" and network.public_page_enabled
    bad = {**data, "purpose": "", "time_zone": "Mars/Olympus"}
    response = client.post(f"/n/{network.slug}/settings/", bad)
    assert response.status_code == 200
    network.refresh_from_db()
    assert network.purpose == "Starters helpen"


def test_invite_by_pasted_list_and_csv(
    client: Any, network: Any, host: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(host)
    csv_file = SimpleUploadedFile("people.csv", b"naam;email\nCees;cees@example.org\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_invites(client, network, csv_file)
    assert response.status_code == 200  # stays to show what was skipped
    _check_invites(response)
    assert len(mail.outbox) == 3


def _post_invites(client: Any, network: Any, csv_file: Any) -> Any:
    return client.post(
        f"/n/{network.slug}/invitations/",
        {
            "emails": (
                "Anna <anna@example.org>\nbram@example.org\nnot-an-email\nmember@test.example"
            ),
            "csv_file": csv_file,
            "role": "member",
        },
    )


def _check_invites(response: Any) -> None:
    body = response.content.decode()
    assert "not-an-email" in body and "member@test.example" in body
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "anna@example.org",
        "bram@example.org",
        "cees@example.org",
    }
    assert Invitation.objects.get(email="anna@example.org").name == "Anna"


def test_invitation_through_sign_up_into_the_network(
    client: Any, network: Any, host: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/n/{network.slug}/invitations/", {"emails": "new@example.org"})
    client.logout()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invite/" in line)
    path = link[link.index("/invite/") :].strip()
    assert client.get(path).status_code == 200
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Nina Nieuw",
            "email": "new@example.org",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )
    # The address came from the invitation: no extra verification, straight back to it.
    assert response.status_code == 302 and response["Location"] == path
    page = client.get(path)
    assert "charter" in page.content.decode().lower()
    assert client.post(path, {}).status_code == 200  # charter not accepted: stays, nothing saved
    assert not Membership.objects.filter(network=network, user__email="new@example.org").exists()
    response = client.post(path, {"accept_charter": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(network=network, user__email="new@example.org")
    assert membership.role == Role.MEMBER and membership.charter_accepted_at is not None
    assert membership.user.profile.display_name == "Nina Nieuw"
    assert Invitation.objects.get().state == "accepted"


def test_revoked_and_unknown_invitation_links(
    client: Any, network: Any, host: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/n/{network.slug}/invitations/", {"emails": "x@example.org"})
    invitation = Invitation.objects.get()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invite/" in line)
    path = link[link.index("/invite/") :].strip()
    client.post(f"/n/{network.slug}/invitations/{invitation.pk}/revoke/")
    client.logout()
    assert "revoked" in client.get(path, headers={"Accept-Language": "en"}).content.decode()
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_resend_replaces_the_link(
    client: Any, network: Any, host: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/n/{network.slug}/invitations/", {"emails": "x@example.org"})
    invitation = Invitation.objects.get()
    old_hash = invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/n/{network.slug}/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash and invitation.sent_count == 2
    assert len(mail.outbox) == 2


def test_member_pauses_and_last_host_cannot_leave(
    client: Any, network: Any, host: Any, member: Any
) -> None:
    client.force_login(member)
    client.post(f"/n/{network.slug}/membership/", {"status": "paused"})
    assert Membership.objects.get(user=member).status == "paused"
    client.force_login(host)
    client.post(f"/n/{network.slug}/membership/", {"status": "left"})
    assert Membership.objects.get(user=host).status == "active"


def test_join_open_network_requires_charter(client: Any, network: Any, outsider: Any) -> None:
    network.join_policy = "open"
    network.save()
    client.force_login(outsider)
    client.post(f"/n/{network.slug}/join/", {})
    assert not Membership.objects.filter(user=outsider).exists()
    client.post(f"/n/{network.slug}/join/", {"accept_charter": "on"})
    assert Membership.objects.filter(user=outsider, network=network).exists()


def test_join_refused_for_invite_only(client: Any, network: Any, outsider: Any) -> None:
    client.force_login(outsider)
    assert client.get(f"/n/{network.slug}/join/").status_code == 404


def test_create_network_makes_creator_host(client: Any, outsider: Any) -> None:
    client.force_login(outsider)
    response = client.post(
        "/networks/new/",
        {
            "slug": "nieuw",
            "name": "Nieuw netwerk",
            "city": "Delft",
            "kind": "knowledge",
            "purpose": "Kennis delen",
            "join_policy": "invite",
            "language": "nl",
            "time_zone": "Europe/Amsterdam",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(network__slug="nieuw", user=outsider).role == Role.HOST


def _tables(queries: Any) -> list[str]:
    out = []
    for q in queries:
        sql = q["sql"]
        i = sql.find(' FROM "')
        out.append(sql[i + 7 : sql.find('"', i + 7)] if i >= 0 else "")
    return out


@pytest.mark.parametrize("page", ["home/", "people/"])
def test_network_and_membership_are_fetched_once_per_request(
    client: Any, network: Any, member: Any, page: str
) -> None:
    """Middleware, access_network and the navigation share one fetch of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/n/{network.slug}/{page}")
    assert response.status_code == 200
    assert 'class="tabbar"' in response.content.decode()
    sqls = [q["sql"] for q in ctx.captured_queries]
    by_slug = [s for s in sqls if 'FROM "networks_network" WHERE "networks_network"."slug"' in s]
    mine = [
        s
        for s in sqls
        if 'FROM "networks_membership"' in s
        and f'"networks_membership"."user_id" = {member.pk}' in s
        and "COUNT(" not in s
    ]
    assert len(by_slug) == 1, by_slug
    assert len(mine) == 1, mine


def test_request_memo_is_per_request_and_follows_writes(
    client: Any, network: Any, member: Any
) -> None:
    from kring.networks.access import (
        access_network,
        network_by_slug,
        request_scope,
        viewer_membership,
    )
    from kring.networks.models import MembershipStatus

    # Outside a request nothing is memoised.
    assert access_network(member, network.slug).membership.status == MembershipStatus.ACTIVE
    with request_scope():
        first = network_by_slug(network.slug)
        assert network_by_slug(network.slug) is first
        m = viewer_membership(member, network)
        assert viewer_membership(member, network) is m
        # A write to a membership empties the memo: the next check sees it.
        Membership.objects.filter(pk=m.pk).get().delete()
        assert viewer_membership(member, network) is None
    client.force_login(member)
    assert client.get(f"/n/{network.slug}/home/").status_code == 404


def test_directory_live_search_skips_the_tag_cloud(client: Any, network: Any, member: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    with CaptureQueriesContext(connection) as full:
        page = client.get(f"/n/{network.slug}/people/?q=a")
    with CaptureQueriesContext(connection) as live:
        fragment = client.get(f"/n/{network.slug}/people/?q=a", HTTP_HX_REQUEST="true")
    assert page.status_code == fragment.status_code == 200
    assert 'id="taglist"' in page.content.decode()
    assert 'id="taglist"' not in fragment.content.decode()
    assert len(live) < len(full)
    assert not any('"people_tag"."name" AS "tag__name"' in q["sql"] for q in live.captured_queries)
