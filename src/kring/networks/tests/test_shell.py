"""The app shell: where signing in lands, the tab bar, the More and Manage pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kring.core.registry import MAX_TABS, navigation
from kring.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kring-test-pw"


def _tabs(html: str) -> list[str]:
    bar = re.search(r'<nav class="tabbar".*?</nav>', html, re.S)
    assert bar is not None
    return re.findall(r"<li><a href=\"([^\"]+)\"", bar.group(0))


def test_login_lands_on_the_only_network_home(client: Any, member: Any, network: Any) -> None:
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/n/{network.slug}/home/"


def test_login_with_several_networks_shows_a_chooser(
    client: Any, member: Any, network: Any, other_network: Any
) -> None:
    MembershipFactory(network=other_network, user=member)
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/start/"
    html = response.content.decode()
    assert f"/n/{network.slug}/home/" in html and f"/n/{other_network.slug}/home/" in html


def test_start_without_a_network_offers_the_next_step(client: Any, outsider: Any) -> None:
    client.force_login(outsider)
    response = client.get("/start/")
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()


def test_start_needs_a_login(client: Any) -> None:
    response = client.get("/start/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_member_sees_at_most_five_tabs_and_no_host_tools(
    client: Any, member: Any, network: Any
) -> None:
    client.force_login(member)
    html = client.get(f"/n/{network.slug}/home/").content.decode()
    tabs = _tabs(html)
    assert len(tabs) <= MAX_TABS + 1
    assert tabs[0] == f"/n/{network.slug}/home/" and tabs[-1] == f"/n/{network.slug}/more/"
    assert f"/n/{network.slug}/settings/" not in html  # host tools are not offered


def test_host_tools_are_grouped_under_manage(client: Any, host: Any, network: Any) -> None:
    client.force_login(host)
    html = client.get(f"/n/{network.slug}/manage/").content.decode()
    for page in ("settings/", "members/", "invitations/"):
        assert f"/n/{network.slug}/{page}" in html
    assert len(_tabs(html)) <= MAX_TABS + 1


def test_more_page_lists_the_other_destinations(client: Any, member: Any, network: Any) -> None:
    client.force_login(member)
    response = client.get(f"/n/{network.slug}/more/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/n/{network.slug}/knowledge/" in html
    assert f"/n/{network.slug}/settings/" not in html


def test_manage_is_for_hosts_only(
    client: Any, member: Any, outsider: Any, other_member: Any, network: Any
) -> None:
    client.force_login(member)
    assert client.get(f"/n/{network.slug}/manage/").status_code == 403
    for person in (outsider, other_member):
        client.force_login(person)
        assert client.get(f"/n/{network.slug}/manage/").status_code == 404
        assert client.get(f"/n/{network.slug}/more/").status_code == 404


def test_navigation_marks_the_longest_matching_entry(network: Any, host: Any, rf: Any) -> None:
    request = rf.get(f"/n/{network.slug}/members/3/")
    request.user = host
    nav = navigation(network, request=request, is_host=True)
    current = [e["url"] for group in ("tab", "more", "manage") for e in nav[group] if e["current"]]
    assert current == [f"/n/{network.slug}/members/"]
    assert nav["manage_current"] is True


def test_theme_switch_sets_and_clears_the_cookie(client: Any) -> None:
    response = client.post("/theme/", {"theme": "dark", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert client.cookies["kring_theme"].value == "dark"
    html = client.get("/about/").content.decode()
    assert '<html lang="en" data-theme="dark">' in html or 'data-theme="dark"' in html
    response = client.post("/theme/", {"theme": "", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.cookies["kring_theme"].value == ""


def test_design_page_is_for_staff(client: Any, member: Any) -> None:
    assert client.get("/design/").status_code == 404
    client.force_login(member)
    assert client.get("/design/").status_code == 404
    member.is_staff = True
    member.save()
    response = client.get("/design/")
    assert response.status_code == 200
    assert "#calendar" in response.content.decode()  # the icon sprite is shown
