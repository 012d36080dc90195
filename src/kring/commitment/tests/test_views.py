from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from kring.commitment import services
from kring.commitment.models import Application, ApplicationStatus
from kring.commitment.tokens import verification_token

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["commitment:mine", "commitment:charter"]
HOST_PAGES = [
    "commitment:team",
    "commitment:charter_edit",
    "commitment:applications",
    "commitment:growth",
    "commitment:health",
    "commitment:settings",
]


@pytest.mark.parametrize("name", MEMBER_PAGES + HOST_PAGES)
def test_page_permissions(
    client: Any, name: str, network: Any, host: Any, member: Any, outsider: Any, other_member: Any
) -> None:
    url = reverse(name, kwargs={"slug": network.slug})
    assert client.get(url).status_code == 302  # anonymous → login
    for user in (outsider, other_member):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == (200 if name in MEMBER_PAGES else 403)
    client.force_login(host)
    assert client.get(url).status_code == 200


def test_application_detail_permissions(
    client: Any, submit: Any, host: Any, member: Any, outsider: Any, other_member: Any
) -> None:
    app = services.verify_application(token=verification_token(submit()))
    url = reverse("commitment:application", kwargs={"slug": app.network.slug, "pk": app.pk})
    assert client.get(url).status_code == 302
    for user in (outsider, other_member):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 403
    services.update_settings(actor=host, network=app.network, data={"members_may_advise": True})
    assert client.get(url).status_code == 200
    # a member may advise but not decide
    r = client.post(url, {"decision-decision": "accept"})
    assert r.status_code == 403
    r = client.post(url, {"advice-text": "Ken haar, top."})
    assert r.status_code == 302 and app.advice.count() == 1
    client.force_login(host)
    r = client.post(url, {"decision-decision": "accept", "decision-message": "Welkom"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED


def test_applications_list_query_count(
    client: Any, submit: Any, host: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(6):
        services.verify_application(token=verification_token(submit(email=f"p{i}@example.org")))
    client.force_login(host)
    url = reverse("commitment:applications", kwargs={"slug": "testnet"})
    with django_assert_max_num_queries(25):
        r = client.get(url)
    assert r.status_code == 200 and r.content.count(b"Nina Nieuw") == 6


def test_apply_form_public_flow(client: Any, apply_network: Any, host: Any, no_pow: Any) -> None:
    url = reverse("commitment:apply", kwargs={"slug": apply_network.slug})
    r = client.get(url)
    assert r.status_code == 200 and b"Come to most gatherings." in r.content
    data = {
        "name": "Nina",
        "email": "nina@example.org",
        "passion": "Starters",
        "heard_via": "public_page",
        "accept_charter": "on",
        "website": "",
    }
    r = client.post(url, {**data, "accept_charter": ""})
    assert r.status_code == 200 and not Application.objects.exists()
    r = client.post(url, data)
    assert r.status_code == 302
    app = Application.objects.get()
    assert app.status == ApplicationStatus.UNVERIFIED
    link = next(line for line in mail.outbox[0].body.splitlines() if "/apply/verify/" in line)
    r = client.get(
        link.replace("http://testserver", "").split("://", 1)[-1].partition("/")[2]
        and "/" + link.split("/", 3)[3]
    )
    assert r.status_code == 200
    app.refresh_from_db()
    assert app.status == ApplicationStatus.PENDING


def test_apply_honeypot_drops_quietly(client: Any, apply_network: Any, no_pow: Any) -> None:
    url = reverse("commitment:apply", kwargs={"slug": apply_network.slug})
    r = client.post(
        url,
        {
            "name": "Bot",
            "email": "bot@example.org",
            "passion": "spam",
            "heard_via": "own",
            "accept_charter": "on",
            "website": "http://x",
        },
    )
    assert r.status_code == 302 and not Application.objects.exists()


def test_apply_is_404_for_invite_only(client: Any, network: Any) -> None:
    url = reverse("commitment:apply", kwargs={"slug": network.slug})
    assert client.get(url).status_code == 404


def test_home_panel_nags_until_accepted(client: Any, network: Any, host: Any, member: Any) -> None:
    services.publish_charter(actor=host, network=network, text="Nieuwe tekst")
    client.force_login(member)
    client.cookies["django_language"] = "en"
    home = reverse("net:home", kwargs={"slug": network.slug})
    assert b"Read and accept the charter" in client.get(home).content
    r = client.get(reverse("commitment:charter", kwargs={"slug": network.slug}))
    assert b"diff-added" in r.content
    client.post(reverse("commitment:charter", kwargs={"slug": network.slug}))
    assert b"Read and accept the charter" not in client.get(home).content


# --- API -------------------------------------------------------------------------------------


def test_api_engagement(
    api_client: Any, network: Any, host: Any, member: Any, outsider: Any
) -> None:
    url = "/api/v1/networks/testnet/engagement"
    assert api_client().get(url).status_code == 401
    assert api_client(outsider).get(url).status_code == 404
    own = api_client(member).get(url).json()
    assert [r["user_id"] for r in own] == [member.pk]
    everyone = api_client(host).get(url).json()
    assert {r["user_id"] for r in everyone} == {member.pk, host.pk}


def test_api_applications(
    api_client: Any, apply_network: Any, host: Any, member: Any, other_member: Any, solved: Any
) -> None:
    url = "/api/v1/networks/testnet/applications"
    body = {
        "name": "Nina",
        "email": "nina@example.org",
        "passion": "Starters",
        "heard_via": "own",
        "accept_charter": True,
    }
    r = api_client().post(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 400  # no proof of work
    challenge = api_client().get(url + "/challenge").json()
    assert {"algorithm", "challenge", "salt", "signature"} <= set(challenge)
    payload = solved()
    r = api_client().post(
        url, json.dumps({**body, "altcha": payload}), content_type="application/json"
    )
    assert r.status_code == 201, r.content
    r = api_client().post(
        url,
        json.dumps({**body, "altcha": payload, "email": "z@y.nl"}),
        content_type="application/json",
    )
    assert r.status_code == 400  # a solved challenge cannot be replayed
    r = api_client().post(
        url,
        json.dumps({**body, "accept_charter": False, "email": "x@y.nl", "altcha": solved()}),
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "accept_charter"
    app = Application.objects.get()
    services.verify_application(token=verification_token(app))
    assert api_client().get(url).status_code == 401
    assert api_client(other_member).get(url).status_code == 404
    assert api_client(member).get(url).status_code == 403
    listed = api_client(host).get(url).json()
    assert [a["id"] for a in listed] == [app.pk] and listed[0]["spontaneous"]
    decide = f"/api/v1/applications/{app.pk}/decision"
    payload = json.dumps({"decision": "decline", "message": "Sorry"})
    assert api_client().post(decide, payload, content_type="application/json").status_code == 401
    assert (
        api_client(other_member).post(decide, payload, content_type="application/json").status_code
        == 404
    )
    assert (
        api_client(member).post(decide, payload, content_type="application/json").status_code == 403
    )
    r = api_client(host).post(decide, payload, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    r = api_client(host).post(decide, payload, content_type="application/json")
    assert r.status_code == 409


def test_api_application_rate_limited(api_client: Any, apply_network: Any, solved: Any) -> None:
    url = "/api/v1/networks/testnet/applications"
    statuses = []
    for i in range(12):
        body = {
            "name": "N",
            "email": f"n{i}@example.org",
            "passion": "p",
            "heard_via": "own",
            "accept_charter": True,
            "altcha": solved(),
        }
        statuses.append(
            api_client().post(url, json.dumps(body), content_type="application/json").status_code
        )
    assert statuses[:10] == [201] * 10 and statuses[-1] == 429


def test_api_health(api_client: Any, network: Any, host: Any, member: Any, outsider: Any) -> None:
    url = "/api/v1/networks/testnet/health"
    assert api_client().get(url).status_code == 401
    assert api_client(outsider).get(url).status_code == 404
    assert api_client(member).get(url).status_code == 403
    data = api_client(host).get(url).json()
    assert len(data["conditions"]) == 7
    services.update_settings(actor=host, network=network, data={"publish_health": True})
    assert api_client(member).get(url).status_code == 200


def test_growth_chart_coordinates_are_not_localised(client: Any, submit: Any, host: Any) -> None:
    """Dutch number formatting ("12,5") inside SVG attributes broke the funnel chart."""
    import re

    for i in range(3):
        services.verify_application(token=verification_token(submit(email=f"g{i}@example.org")))
    client.force_login(host)
    url = reverse("commitment:growth", kwargs={"slug": "testnet"})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    values = re.findall(r'\b(?:x|y|x1|y1|x2|y2|width|height)="([^"]*)"', svg)
    assert values and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values), values


def test_team_tables_scroll_inside_their_card(client: Any, host: Any, network: Any) -> None:
    """On a phone the bare tables pushed the page sideways: each sits in a .table-wrap."""
    client.force_login(host)
    page = client.get(reverse("commitment:team", kwargs={"slug": network.slug})).content.decode()
    assert page.count("<table") >= 2
    wraps = re.findall(
        r'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="\w+"><table', page
    )
    assert page.count("<table") == len(wraps)
