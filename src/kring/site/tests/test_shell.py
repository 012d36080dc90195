"""The shell every member page pays for (base.html, the account menu, the network switcher):
the viewer's own name and photo from the membership fetched with their profile, the shell's
links reversed once per process, and the result the same as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from kring.people import services as people

pytestmark = pytest.mark.django_db


def test_the_account_menu_shows_the_viewers_current_name(
    network: Any, member: Any, host: Any
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    page = client.get("/n/testnet/people/").content.decode()
    menu = page.split('<details class="menu account">', 1)[1].split("</details>", 1)[0]
    assert f'<p class="menu-head">{member.display_name}</p>' in menu
    people.update_profile(actor=member, profile=member.profile, data={"display_name": "Mila"})
    page = client.get("/n/testnet/people/").content.decode()
    menu = page.split('<details class="menu account">', 1)[1].split("</details>", 1)[0]
    assert '<p class="menu-head">Mila</p>' in menu
    client.force_login(host)
    page = client.get("/n/testnet/people/").content.decode()
    menu = page.split('<details class="menu account">', 1)[1].split("</details>", 1)[0]
    assert f'<p class="menu-head">{host.display_name}</p>' in menu and "Mila" not in menu


def test_shell_url_is_url() -> None:
    html = Template(
        "{% load kring_fragments %}{% shell_url 'net:home' slug %}|"
        "{% shell_url 'core:about' %}|{% shell_url 'net:more' slug as more %}[{{ more }}]"
    ).render(Context({"slug": "a-b"}))
    assert html == (
        f"{reverse('net:home', args=['a-b'])}|{reverse('core:about')}|"
        f"[{reverse('net:more', args=['a-b'])}]"
    )
