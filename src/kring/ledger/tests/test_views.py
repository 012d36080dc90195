from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.ledger import services
from kring.ledger.models import Expense, PaymentRequest, SupportRequest, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(network: Any, host: Any, member: Any) -> dict[str, Any]:
    e = services.record_expense(
        actor=host,
        network=network,
        payer_id=host.pk,
        amount_cents=5000,
        spent_on=dt.date(2026, 11, 2),
        description="Zaalhuur",
        category="venue",
        split_method="equal",
        receipt=SimpleUploadedFile("bon.pdf", b"%PDF-1.4 bon"),
    )
    t = services.record_transfer(actor=member, network=network, payee_id=host.pk, cents=1000)
    req = services.request_payment(
        actor=member, network=network, payer_id=member.pk, payee_id=host.pk, cents=1500
    )
    sr = services.ask_support(actor=member, network=network, cents=500)
    return {"expense": e, "transfer": t, "request": req, "support": sr}


def urls(d: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """name → (url, host only)"""
    s = "testnet"
    return {
        "index": (reverse("ledger:index", args=[s]), False),
        "expense_new": (reverse("ledger:expense_new", args=[s]), False),
        "expense": (reverse("ledger:expense", args=[s, d["expense"].pk]), False),
        "receipt": (reverse("ledger:receipt", args=[s, d["expense"].pk]), False),
        "transfer_new": (reverse("ledger:transfer_new", args=[s]), False),
        "request": (reverse("ledger:request", args=[s, d["request"].pk]), False),
        "bank": (reverse("ledger:bank", args=[s]), False),
        "pot": (reverse("ledger:pot", args=[s]), False),
        "coverage": (reverse("ledger:coverage", args=[s]), False),
        "export": (
            reverse("ledger:export", args=[s]) + "?what=ledger&separator=%3B&decimal=%2C",
            False,
        ),
    }


POSTS = [
    "expense_reverse",
    "transfer_decide",
    "request_new",
    "pot_decide",
    "contribution",
    "settings",
]


def post_urls(d: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    s = "testnet"
    return {
        "expense_reverse": (reverse("ledger:expense_reverse", args=[s, d["expense"].pk]), False),
        "transfer_decide": (reverse("ledger:transfer_decide", args=[s, d["transfer"].pk]), False),
        "request_new": (reverse("ledger:request_new", args=[s]), False),
        "pot_decide": (reverse("ledger:pot_decide", args=[s, d["support"].pk]), True),
        "contribution": (reverse("ledger:contribution", args=[s]), True),
        "settings": (reverse("ledger:settings", args=[s]), True),
    }


def test_anonymous_redirected(client, data) -> None:
    for url, _h in [*urls(data).values(), *post_urls(data).values()]:
        r = client.post(url) if url in dict(post_urls(data).values()) else client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url


def test_outsiders_get_404(client, data, outsider, other_member) -> None:
    for who in (outsider, other_member):
        client.force_login(who)
        for url, _h in urls(data).values():
            assert client.get(url).status_code == 404, url
        for url, _h in post_urls(data).values():
            assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert Expense.objects.count() == 1


def test_member_pages(client, data, member) -> None:
    client.force_login(member)
    for name, (url, _h) in urls(data).items():
        r = client.get(url)
        assert r.status_code == 200, name
    for name, (url, host_only) in post_urls(data).items():
        if host_only:
            assert client.post(url, {}).status_code == 403, name
    # a member cannot confirm a transfer they made themselves
    assert client.post(post_urls(data)["transfer_decide"][0]).status_code == 403
    assert Transfer.objects.get().status == "pending"


def test_host_pages(client, data, host) -> None:
    client.force_login(host)
    for name, (url, _h) in urls(data).items():
        assert client.get(url).status_code == 200, name
    r = client.post(post_urls(data)["pot_decide"][0], {"decision": "decline"})
    assert r.status_code == 302 and SupportRequest.objects.get().status == "declined"
    r = client.post(post_urls(data)["transfer_decide"][0], {"decision": "confirm"})
    assert r.status_code == 302 and Transfer.objects.get().status == "confirmed"


@pytest.mark.usefixtures("render_every_request")
def test_ledger_query_count(client, data, member, host, django_assert_max_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        for i in range(n):
            services.record_expense(
                actor=host,
                network=data["expense"].network,
                payer_id=host.pk,
                amount_cents=100 + i,
                spent_on=dt.date(2026, 11, 3),
                description=f"Koffie {i}",
                category="catering",
                split_method="equal",
            )

    client.force_login(member)
    url = reverse("ledger:index", args=["testnet"]) + "?tab=ledger"
    add(4)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):  # no query per row
        r = client.get(url)
    assert r.status_code == 200 and "Koffie 11" in r.content.decode()


def test_record_expense_form(client, host, member) -> None:
    client.force_login(member)
    url = reverse("ledger:expense_new", args=["testnet"])
    base = {
        "description": "Koffie",
        "amount": "12,50",
        "spent_on": "2026-11-27",
        "payer": member.pk,
        "category": "catering",
        "split_method": "equal",
        "members": [host.pk, member.pk],
    }
    r = client.post(url, {**base, "amount": "12,505"})
    assert r.status_code == 200 and "fractions of a cent" in r.content.decode()
    r = client.post(url, {**base, "split_method": "exact", f"amount_{host.pk}": "5,00"})
    assert r.status_code == 200 and "not €12.50" in r.content.decode()
    assert not Expense.objects.exists()
    r = client.post(url, {**base, "payer": host.pk})
    assert r.status_code == 200  # a member cannot pick someone else as payer
    r = client.post(url, base)
    assert r.status_code == 302
    e = Expense.objects.get()
    assert e.amount_cents == 1250 and sorted(e.shares.values_list("cents", flat=True)) == [625, 625]


def test_reverse_via_page(client, data, host) -> None:
    client.force_login(host)
    client.post(post_urls(data)["expense_reverse"][0], {"reason": "dubbel"})
    assert Expense.objects.filter(reverses=data["expense"]).exists()


def test_request_page_shows_qr_only_to_debtor(client, data, host, member, anna) -> None:
    services.set_bank_account(
        actor=host, network=data["expense"].network, iban="NL91ABNA0417164300", holder="Hanna Host"
    )
    url = urls(data)["request"][0]
    client.force_login(member)
    page = client.get(url).content.decode()
    assert 'class="ledger-qr"' in page and "NL91 ABNA 0417 1643 00" in page
    client.force_login(anna)  # not involved
    page = client.get(url).content.decode()
    assert 'class="ledger-qr"' not in page and "NL91" not in page
    client.force_login(member)
    assert client.post(url).status_code == 302
    t = Transfer.objects.get(request=data["request"])
    assert t.payer_id == member.pk and t.cents == 1500


def test_request_from_suggestion(client, data, member, host) -> None:
    client.force_login(member)
    r = client.post(
        reverse("ledger:request_new", args=["testnet"]),
        {"payer": member.pk, "payee": host.pk, "cents": 2500},
    )
    req = PaymentRequest.objects.latest("pk")
    assert r.status_code == 302 and r["Location"].endswith(f"/requests/{req.pk}/")


def test_bank_form_rejects_invalid_iban(client, member) -> None:
    client.force_login(member)
    r = client.post(
        reverse("ledger:bank", args=["testnet"]), {"iban": "NL00BANK1234", "holder": ""}
    )
    assert r.status_code == 200 and "not a valid IBAN" in r.content.decode()


def test_export_csv_dutch(client, data, member) -> None:
    client.force_login(member)
    r = client.get(
        reverse("ledger:export", args=["testnet"]),
        {"what": "balances", "separator": ";", "decimal": ","},
    )
    raw = r.content
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "member_id;name;balance_eur"
    assert ";25,00" in text and ";-25,00" in text
    r = client.get(
        reverse("ledger:export", args=["testnet"]),
        {"what": "ledger", "separator": ",", "decimal": ".", "start": "2026-01-01"},
    )
    assert "50.00" in r.content.decode("utf-8-sig") and "Zaalhuur" in r.content.decode("utf-8-sig")


def test_home_panel(client, data, member) -> None:
    client.force_login(member)
    page = client.get(reverse("net:home", args=["testnet"])).content.decode()
    assert "−€" in page or "-€" in page


def test_period_filter_htmx_fragment(client, data, member) -> None:
    client.force_login(member)
    url = reverse("ledger:index", args=["testnet"])
    r = client.get(
        url, {"start": "2026-11-03", "end": "2026-11-28"}, headers={"HX-Request": "true"}
    )
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith('<div id="ledger-entries"')
    assert "Zaalhuur" not in body  # 2 November is outside the period
    assert "HX-Request" in r["Vary"]
    full = client.get(url, {"start": "2026-11-01"}).content.decode()
    assert "<html" in full and "Zaalhuur" in full


def test_profile_panel_shows_balance(client, data, member, host) -> None:
    client.force_login(member)
    page = client.get(reverse("net:person", args=["testnet", host.pk])).content.decode()
    assert "€\u00a025.00" in page  # host paid 50.00, carries 25.00
