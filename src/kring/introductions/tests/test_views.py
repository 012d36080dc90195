from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kring.introductions.models import Block, Introduction, KnewAlready, Participant, Round

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["introductions:index", "introductions:acquaintance"]
HOST_PAGES = ["introductions:rounds"]


def _url(name: str, **kw: Any) -> str:
    return reverse(name, kwargs={"slug": "testnet", **kw})


@pytest.mark.parametrize("name", MEMBER_PAGES + HOST_PAGES)
def test_anonymous_redirected(client: Any, network: Any, name: str) -> None:
    response = client.get(_url(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", MEMBER_PAGES + HOST_PAGES)
def test_outsiders_get_404(
    client: Any, network: Any, outsider: Any, other_member: Any, name: str
) -> None:
    for user in (outsider, other_member):
        client.force_login(user)
        assert client.get(_url(name)).status_code == 404


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_members_see_member_pages(client: Any, crowd: dict[str, Any], name: str) -> None:
    client.force_login(crowd["member"])
    assert client.get(_url(name)).status_code == 200


def test_member_gets_403_on_host_pages(
    client: Any, crowd: dict[str, Any], published: Round
) -> None:
    client.force_login(crowd["member"])
    assert client.get(_url("introductions:rounds")).status_code == 403
    assert client.get(_url("introductions:round", round_id=published.pk)).status_code == 403
    assert (
        client.post(
            _url("introductions:round_action", round_id=published.pk, action="publish")
        ).status_code
        == 403
    )


def test_member_sees_reasons_and_marks_met(
    client: Any, crowd: dict[str, Any], published: Round
) -> None:
    client.force_login(crowd["member"])
    page = client.get(_url("introductions:index")).content.decode()
    assert "Bram" in page and "websites" in page and "which you are looking for" in page
    intro = Introduction.objects.get(round=published, participants__user=crowd["member"])
    response = client.post(
        _url("introductions:outcome", intro_id=intro.pk), {"outcome": "met", "note": "Goed gesprek"}
    )
    assert response.status_code == 302
    p = Participant.objects.get(introduction=intro, user=crowd["member"])
    assert p.outcome == "met" and p.note == "Goed gesprek"


def test_outcome_on_someone_elses_introduction_is_404(
    client: Any, crowd: dict[str, Any], published: Round
) -> None:
    intro = (
        Introduction.objects.filter(round=published)
        .exclude(participants__user=crowd["member"])
        .first()
    )
    client.force_login(crowd["member"])
    response = client.post(_url("introductions:outcome", intro_id=intro.pk), {"outcome": "met"})
    assert response.status_code == 404


def test_home_panel_shows_introduction(
    client: Any, crowd: dict[str, Any], published: Round
) -> None:
    client.force_login(crowd["member"])
    page = client.get(reverse("net:home", kwargs={"slug": "testnet"})).content.decode()
    assert "Your introduction" in page and "Bram" in page


def test_host_prepares_swaps_and_publishes(client: Any, crowd: dict[str, Any]) -> None:
    client.force_login(crowd["host"])
    response = client.post(_url("introductions:rounds"), {"kind": "pairs"})
    round_ = Round.objects.get()
    assert response["Location"] == _url("introductions:round", round_id=round_.pk)
    page = client.get(response["Location"]).content.decode()
    assert "certified upper bound" in page
    a = Participant.objects.filter(round=round_).first()
    b = Participant.objects.filter(round=round_).exclude(introduction=a.introduction).first()
    client.post(
        _url("introductions:round_action", round_id=round_.pk, action="swap"),
        {"user_a": a.user_id, "user_b": b.user_id},
    )
    assert Participant.objects.get(pk=a.pk).introduction_id == b.introduction_id
    client.post(_url("introductions:round_action", round_id=round_.pk, action="publish"))
    round_.refresh_from_db()
    assert round_.status == "published"


def test_rounds_list_query_count(
    client: Any, crowd: dict[str, Any], published: Round, django_assert_max_num_queries: Any
) -> None:
    client.force_login(crowd["host"])
    with django_assert_max_num_queries(20):
        assert client.get(_url("introductions:rounds")).status_code == 200


@pytest.mark.usefixtures("render_every_request")
def test_index_query_count(
    client: Any, crowd: dict[str, Any], published: Round, django_assert_max_num_queries: Any
) -> None:
    client.force_login(crowd["member"])
    with django_assert_max_num_queries(20):
        assert client.get(_url("introductions:index")).status_code == 200


def test_block_and_knew_forms(client: Any, crowd: dict[str, Any], network: Any) -> None:
    client.force_login(crowd["member"])
    client.post(_url("introductions:person_action", action="block"), {"user": crowd["bram"].pk})
    assert Block.objects.filter(blocker=crowd["member"], blocked=crowd["bram"]).exists()
    client.post(_url("introductions:person_action", action="unblock"), {"user": crowd["bram"].pk})
    assert not Block.objects.exists()
    client.post(_url("introductions:person_action", action="knew"), {"user": crowd["anna"].pk})
    assert KnewAlready.objects.count() == 1
    response = client.post(_url("introductions:person_action", action="knew"), {"user": "x"})
    assert response.status_code == 302 and KnewAlready.objects.count() == 1


def test_acquaintance_page_has_graph_and_table(
    client: Any, crowd: dict[str, Any], network: Any
) -> None:
    KnewAlready.objects.create(
        network=network,
        user_a=min(crowd["carl"], crowd["dina"], key=lambda u: u.pk),
        user_b=max(crowd["carl"], crowd["dina"], key=lambda u: u.pk),
    )
    client.force_login(crowd["member"])
    page = client.get(_url("introductions:acquaintance")).content.decode()
    assert 'role="img"' in page and "<line" in page and "<caption>" in page
    assert "1 of 15 pairs" in page


def test_schedule_form(client: Any, crowd: dict[str, Any]) -> None:
    client.force_login(crowd["host"])
    client.post(
        _url("introductions:schedule"), {"cadence": "monthly", "publish_automatically": "on"}
    )
    from kring.introductions.models import IntroductionSettings

    assert IntroductionSettings.objects.get().cadence == "monthly"
    client.force_login(crowd["member"])
    assert client.post(_url("introductions:schedule"), {"cadence": "off"}).status_code == 403


def test_acquaintance_graph_coordinates_are_not_localised(
    client: Any, crowd: dict[str, Any], network: Any
) -> None:
    """In Dutch, 177.6 must not become "177,6" inside SVG attributes (the graph vanished)."""
    import re

    client.force_login(crowd["member"])
    page = client.get(_url("introductions:acquaintance"), HTTP_ACCEPT_LANGUAGE="nl").content
    svg = page.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    coords = re.findall(r'\b(?:x1|y1|x2|y2|cx|cy|x|y)="([^"]*)"', svg)
    assert coords and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coords), coords
