"""Permissions for every page, the public request form with its spam checks, CSV export."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kring.core import antispam
from kring.results import services
from kring.results.models import HelpRequest, RequestStatus
from kring.results.requests import services as rs

pytestmark = pytest.mark.django_db

MEMBER_GET = [
    "index",
    "contributions",
    "requests",
    "intentions",
    "referrals",
    "export_contributions",
]
HOST_GET = ["objective_new", "export_requests"]


@pytest.fixture
def world(make_objective: Any, help_request: Any, host: Any, member: Any) -> dict[str, Any]:
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        o = make_objective(visibility="public")
        c = services.log_contribution(
            actor=member, objective=o, amount=Decimal(3), on=o.period_start
        )
    rs.accept_request(actor=host, request=help_request)
    return {"objective": o, "contribution": c, "request": help_request}


def urls(world: dict[str, Any]) -> dict[str, str]:
    slug = "testnet"
    o, r, c = world["objective"].pk, world["request"].pk, world["contribution"].pk
    u = {name: reverse(f"results:{name}", args=[slug]) for name in MEMBER_GET + HOST_GET}
    u["objective"] = reverse("results:objective", args=[slug, o])
    u["objective_edit"] = reverse("results:objective_edit", args=[slug, o])
    u["request_detail"] = reverse("results:request_detail", args=[slug, r])
    u["contribution_confirm"] = reverse("results:contribution_confirm", args=[slug, c])
    u["request_triage"] = reverse("results:request_triage", args=[slug, r])
    u["request_ask"] = reverse("results:request_ask", args=[slug, r])
    u["request_volunteer"] = reverse("results:request_volunteer", args=[slug, r])
    return u


def test_anonymous_is_sent_to_login(client: Any, world: dict[str, Any]) -> None:
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["outsider", "other_member"])
def test_outsiders_get_404(client: Any, world: dict[str, Any], persona: str, request: Any) -> None:
    client.force_login(request.getfixturevalue(persona))
    for name, url in urls(world).items():
        method = (
            client.post
            if name.startswith(("contribution_", "request_t", "request_a", "request_v"))
            else client.get
        )
        assert method(url).status_code == 404, url


def test_member_pages_and_host_pages(
    client: Any, world: dict[str, Any], member: Any, host: Any
) -> None:
    u = urls(world)
    client.force_login(member)
    for name in [*MEMBER_GET, "objective", "request_detail"]:
        assert client.get(u[name]).status_code == 200, name
    for name in ["objective_new", "objective_edit", "export_requests"]:
        assert client.get(u[name]).status_code == 403, name
    assert client.post(u["request_triage"], {"decision": "accept"}).status_code == 403
    assert client.post(u["request_ask"], {"user": member.pk}).status_code == 403
    client.force_login(host)
    for name in [*MEMBER_GET, *HOST_GET, "objective", "objective_edit", "request_detail"]:
        assert client.get(u[name]).status_code == 200, name


def test_members_do_not_see_untriaged_requests(
    client: Any, public_network: Any, host: Any, member: Any
) -> None:
    r = rs.submit_request(network=public_network, name="N", email="n@x.example", need="x")
    client.force_login(member)
    assert client.get(reverse("results:request_detail", args=["testnet", r.pk])).status_code == 404
    assert "x" not in [
        x for x in client.get(reverse("results:requests", args=["testnet"])).context["requests"]
    ]
    client.force_login(host)
    assert client.get(reverse("results:request_detail", args=["testnet", r.pk])).status_code == 200


def test_request_list_query_count(
    client: Any,
    world: dict[str, Any],
    host: Any,
    public_network: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(15):
        r = rs.submit_request(
            network=public_network, name=f"R{i}", email=f"r{i}@x.example", need="help"
        )
        rs.accept_request(actor=host, request=r)
    client.force_login(host)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("results:requests", args=["testnet"]))
    assert len(response.context["requests"]) == 16


@pytest.mark.usefixtures("render_every_request")
def test_index_query_count(
    client: Any,
    world: dict[str, Any],
    member: Any,
    make_objective: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(10):
        make_objective(title=f"O{i}")
    client.force_login(member)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("results:index", args=["testnet"])).status_code == 200


def test_member_logs_contribution_and_volunteers(
    client: Any, world: dict[str, Any], member: Any
) -> None:
    u = urls(world)
    client.force_login(member)
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        response = client.post(u["objective"], {"amount": "2.5", "date": "2026-05-30"})
    assert response.status_code == 302
    response = client.post(u["objective"], {"amount": "-1", "date": "2026-05-30"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(u["request_volunteer"]).status_code == 302
    world["request"].refresh_from_db()
    assert world["request"].status == RequestStatus.MATCHED


def _ask_data(page: Any, **extra: Any) -> dict[str, Any]:
    challenge = json.loads(page.context["form"].antispam_challenge)
    return {
        "name": "Sanne",
        "email": "s@x.example",
        "need": "A website",
        "tags": "website",
        "altcha": antispam.solve_challenge(challenge),
        "website": "",
        **extra,
    }


def test_public_form_files_a_request(
    client: Any, public_network: Any, host: Any, settings: Any
) -> None:
    settings.KRING_ANTISPAM_MAX_NUMBER = 2000
    url = reverse("results:ask", args=["testnet"])
    page = client.get(url)
    assert page.status_code == 200 and b"altcha.js" in page.content
    assert b"nonce=" in page.content
    data = _ask_data(page)
    response = client.post(url, data)
    assert response.status_code == 302
    r = HelpRequest.objects.get()
    assert r.status == RequestStatus.NEW and r.tags == ["website"]
    link = re.search(
        r"/n/testnet/results/status/(\w+)/",
        next(m.body for m in mail.outbox if m.to == ["s@x.example"]),
    ).group(0)
    # replaying the same solved challenge is refused, the text stays in the form
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert response.context["form"]["need"].value() == "A website"
    assert HelpRequest.objects.count() == 1
    status = client.get(link)
    assert status.status_code == 200 and b"A website" in status.content
    r.refresh_from_db()
    assert r.email_confirmed_at is not None


def test_public_form_honeypot_and_missing_challenge(
    client: Any, public_network: Any, settings: Any
) -> None:
    settings.KRING_ANTISPAM_MAX_NUMBER = 2000
    url = reverse("results:ask", args=["testnet"])
    page = client.get(url)
    response = client.post(url, _ask_data(page, website="http://spam.example"))
    assert response.status_code == 302 and not HelpRequest.objects.exists()  # quiet drop
    response = client.post(url, _ask_data(page, altcha=""))
    assert response.status_code == 200 and not HelpRequest.objects.exists()
    assert response.context["form"].non_field_errors()


def test_public_form_rate_limit(client: Any, public_network: Any, settings: Any) -> None:
    settings.KRING_ANTISPAM_MAX_NUMBER = 2000
    url = reverse("results:ask", args=["testnet"])
    for _i in range(3):
        assert client.post(url, _ask_data(client.get(url))).status_code == 302
    response = client.post(url, _ask_data(client.get(url)))
    assert response.status_code == 200 and HelpRequest.objects.count() == 3


def test_public_form_needs_a_public_page(client: Any, network: Any) -> None:
    assert client.get(reverse("results:ask", args=["testnet"])).status_code == 404


def test_status_page_feedback_and_bad_token(
    client: Any, world: dict[str, Any], host: Any, member: Any
) -> None:
    r = world["request"]
    assert (
        client.get(reverse("results:request_status", args=["testnet", "x" * 40])).status_code == 404
    )
    assert (
        client.get(reverse("results:request_status", args=["othernet", r.token])).status_code == 404
    )
    rs.volunteer(actor=member, request=r)
    rs.set_request_status(actor=member, request=r, status=RequestStatus.IN_PROGRESS)
    rs.set_request_status(actor=member, request=r, status=RequestStatus.DONE)
    url = reverse("results:request_status", args=["testnet", r.token])
    assert client.post(url, {"rating": "5", "text": "Top"}).status_code == 302
    r.refresh_from_db()
    assert r.feedback_rating == 5


def test_csv_exports(client: Any, world: dict[str, Any], host: Any) -> None:
    client.force_login(host)
    body = client.get(reverse("results:export_requests", args=["testnet"])).content.decode()
    assert "sanne@x.example" in body and body.startswith("\ufeffid,")
    body = client.get(reverse("results:export_contributions", args=["testnet"])).content.decode()
    assert "Coaching hours" in body


def test_profile_panel_shows_intention(client: Any, member: Any, network: Any) -> None:
    services.state_intention(
        actor=member, network=network, seeks=["knowledge"], gives=[], seeks_detail="Learn about VAT"
    )
    client.force_login(member)
    page = client.get(reverse("net:person", args=["testnet", member.pk]))
    assert b"Learn about VAT" in page.content


def test_contributions_page_query_count(
    client: Any, world: dict[str, Any], host: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        for i in range(20):
            services.log_contribution(
                actor=member,
                objective=world["objective"],
                amount=Decimal(i + 1),
                on=world["objective"].period_start,
            )
    client.force_login(host)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("results:contributions", args=["testnet"]))
    assert len(page.context["to_confirm"]) == 21
    client.force_login(member)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("results:contributions", args=["testnet"]))
    assert len(page.context["contributions"]) == 21 and page.context["to_confirm"] == []


def test_done_request_logs_a_contribution_and_requester_confirms(
    client: Any, world: dict[str, Any], member: Any, outsider: Any
) -> None:
    r, o = world["request"], world["objective"]
    url = reverse("results:request_contribute", args=["testnet", r.pk])
    client.force_login(member)
    rs.volunteer(actor=member, request=r)
    data = {"objective": o.pk, "amount": "3", "date": "2026-05-01"}
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        client.post(url, data)  # too early: matched, not started
        assert not r.contributions.exists()
        rs.set_request_status(actor=member, request=r, status=RequestStatus.IN_PROGRESS)
        rs.set_request_status(actor=member, request=r, status=RequestStatus.DONE)
        assert client.post(url, data).status_code == 302
    c = r.contributions.get()
    assert c.request == r and c.for_whom == "Sanne Starter"
    status_url = reverse("results:request_status", args=["testnet", r.token])
    client.force_login(outsider)  # the requester has no account; the link is enough
    client.post(status_url, {"confirm": c.pk})
    c.refresh_from_db()
    assert c.confirmed_by_requester and c.confirmed_at is not None


def test_intention_form_and_referral_flow(
    client: Any, network: Any, member: Any, host: Any
) -> None:
    client.force_login(member)
    url = reverse("results:intentions", args=["testnet"])
    assert client.post(url, {"seeks": ["other"]}).context["form"].errors  # needs own words
    assert (
        client.post(
            url, {"seeks": ["leads", "other"], "seeks_detail": "Podium", "gives": ["knowledge"]}
        ).status_code
        == 302
    )
    assert client.get(url).context["mine"].seeks == ["leads", "other"]
    rurl = reverse("results:referrals", args=["testnet"])
    assert client.post(rurl, {"to_user": host.pk, "lead": "A bakery"}).status_code == 302
    from kring.results.models import Referral

    ref = Referral.objects.get()
    upd = reverse("results:referral_update", args=["testnet", ref.pk])
    client.post(upd, {"status": "won", "value": "1500.50"})
    ref.refresh_from_db()
    assert ref.status == "passed"  # only the receiver may update
    client.force_login(host)
    client.post(upd, {"status": "won", "value": "1500.50"})
    ref.refresh_from_db()
    assert ref.status == "won" and ref.value_cents == 150050


def test_public_impact_partial_shows_public_data_only(
    make_objective: Any, member: Any, public_network: Any
) -> None:
    from django.template.loader import render_to_string

    from kring.results.selectors import public_impact

    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        make_objective(title="Open goal", visibility="public")
        make_objective(title="Hidden goal", visibility="members")
        html = render_to_string(
            "results/_public_impact.html",
            {"impact": public_impact(public_network), "network": public_network},
        )
    assert "Open goal" in html and "Hidden goal" not in html and "<svg" in html
