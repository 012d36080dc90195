from __future__ import annotations

import json
from typing import Any

import pytest

from kring.ledger import services
from kring.ledger.models import Expense, Transfer

pytestmark = pytest.mark.django_db


def body(host: Any, member: Any, **kw: Any) -> dict[str, Any]:
    data = {
        "payer_id": host.pk,
        "amount_cents": 4599,
        "description": "Koffie",
        "date": "2026-11-20",
        "category": "catering",
        "split": {"method": "equal", "member_ids": [host.pk, member.pk]},
    }
    data.update(kw)
    return data


def post(client: Any, url: str, data: Any, **headers: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", headers=headers)


URL = "/api/v1/networks/testnet/expenses"


def test_create_list_balances_settle(api_client, host, member) -> None:
    c = api_client(host)
    r = post(c, URL, body(host, member))
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["amount_cents"] == 4599
    assert sorted(s["cents"] for s in out["shares"]) == [2299, 2300]
    assert c.get(URL).json()[0]["id"] == out["id"]
    bal = api_client(member).get("/api/v1/networks/testnet/balances").json()
    assert {b["member_id"]: b["balance_cents"] for b in bal} == {
        host.pk: 4599 - dict((s["member_id"], s["cents"]) for s in out["shares"])[host.pk],
        member.pk: -dict((s["member_id"], s["cents"]) for s in out["shares"])[member.pk],
    }
    settle = c.get("/api/v1/networks/testnet/settle-up").json()
    assert settle == [
        {
            "payer_id": member.pk,
            "payee_id": host.pk,
            "cents": -bal[[b["member_id"] for b in bal].index(member.pk)]["balance_cents"],
        }
    ]


def test_shares_and_exact_by_api(api_client, host, member) -> None:
    c = api_client(host)
    r = post(
        c,
        URL,
        body(
            host,
            member,
            amount_cents=300,
            split={"method": "shares", "shares": {str(host.pk): 1, str(member.pk): 2}},
        ),
    )
    assert r.status_code == 201
    assert {s["member_id"]: s["cents"] for s in r.json()["shares"]} == {
        host.pk: 100,
        member.pk: 200,
    }
    r = post(
        c,
        URL,
        body(
            host,
            member,
            amount_cents=300,
            split={"method": "exact", "amounts": {str(member.pk): 299}},
        ),
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "split"


def test_idempotency_key(api_client, host, member) -> None:
    c = api_client(host)
    a = post(c, URL, body(host, member), **{"Idempotency-Key": "abc"})
    b = post(c, URL, body(host, member), **{"Idempotency-Key": "abc"})
    assert a.status_code == 201 and b.status_code == 201 and a.json()["id"] == b.json()["id"]
    clash = post(c, URL, body(host, member, amount_cents=100), **{"Idempotency-Key": "abc"})
    assert clash.status_code == 409 and clash.json()["code"] == "conflict"
    assert Expense.objects.count() == 1


def test_long_idempotency_keys_sharing_a_prefix_do_not_collide(api_client, host, member) -> None:
    """Finding: keys were cut at 120 characters, so two keys sharing their first 120 collided
    (the second expense was refused as a conflict or replayed as the first)."""
    c = api_client(host)
    prefix = "k" * 120
    a = post(c, URL, body(host, member), **{"Idempotency-Key": prefix + "-one"})
    b = post(c, URL, body(host, member, amount_cents=100), **{"Idempotency-Key": prefix + "-two"})
    assert a.status_code == 201 and b.status_code == 201, b.content
    assert a.json()["id"] != b.json()["id"]
    again = post(c, URL, body(host, member), **{"Idempotency-Key": prefix + "-one"})
    assert again.json()["id"] == a.json()["id"]
    assert Expense.objects.count() == 2
    stored = set(Expense.objects.values_list("idempotency_key", flat=True))
    assert all(len(k) == 64 and prefix not in k for k in stored)  # a hash, not the key


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"amount_cents": 0}, 400),
        ({"amount_cents": -10}, 400),
        ({"amount_cents": 12.5}, 422),
        ({"category": "beer"}, 400),
    ],
)
def test_bad_input(api_client, host, member, change, status) -> None:
    r = post(api_client(host), URL, body(host, member, **change))
    assert r.status_code == status, r.content
    assert r.json()["detail"]
    assert not Expense.objects.exists()


def test_split_with_outsider(api_client, host, member, other_member) -> None:
    r = post(
        api_client(host),
        URL,
        body(host, member, split={"method": "equal", "member_ids": [host.pk, other_member.pk]}),
    )
    assert r.status_code == 400 and "not a member" in r.json()["detail"]


def test_permissions(api_client, host, member, outsider, other_member) -> None:
    assert api_client().get(URL).status_code == 401
    for who in (outsider, other_member):
        c = api_client(who)
        for path in ("expenses", "balances", "settle-up"):
            assert c.get(f"/api/v1/networks/testnet/{path}").status_code == 404
        assert post(c, URL, body(host, member)).status_code == 404
        assert (
            post(
                c, "/api/v1/networks/testnet/transfers", {"payee_id": host.pk, "cents": 100}
            ).status_code
            == 404
        )


def test_transfer_confirm_and_reverse(api_client, host, member, other_member) -> None:
    r = post(
        api_client(member),
        "/api/v1/networks/testnet/transfers",
        {"payee_id": host.pk, "cents": 1500},
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    tid = r.json()["id"]
    assert post(api_client(member), f"/api/v1/transfers/{tid}/confirm", {}).status_code == 403
    assert post(api_client(other_member), f"/api/v1/transfers/{tid}/confirm", {}).status_code == 404
    assert api_client().post(f"/api/v1/transfers/{tid}/confirm").status_code == 401
    ok = post(api_client(host), f"/api/v1/transfers/{tid}/confirm", {})
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    assert post(api_client(host), f"/api/v1/transfers/{tid}/confirm", {}).status_code == 409
    assert Transfer.objects.get().status == "confirmed"
    e = services.record_expense(
        actor=member,
        network=host.memberships.first().network,
        payer_id=member.pk,
        amount_cents=1000,
        spent_on=__import__("datetime").date(2026, 11, 1),
        description="Stiften",
        category="materials",
        split_method="equal",
    )
    url = f"/api/v1/expenses/{e.pk}/reverse"
    assert post(api_client(other_member), url, {"reason": "x"}).status_code == 404
    r = post(api_client(member), url, {"reason": "verkeerd bedrag"})
    assert r.status_code == 201 and r.json()["amount_cents"] == -1000
    assert r.json()["reverses_id"] == e.pk
    assert post(api_client(member), url, {"reason": "again"}).status_code == 409


def test_receipt_url_is_access_checked(api_client, client, host, member, other_member) -> None:
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    e = services.record_expense(
        actor=host,
        network=host.memberships.first().network,
        payer_id=host.pk,
        amount_cents=500,
        spent_on=dt.date(2026, 11, 1),
        description="Bon",
        category="other",
        split_method="equal",
        receipt=SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n rest"),
    )
    out = api_client(member).get(URL).json()
    url = out[0]["receipt_url"]
    assert url == f"/n/testnet/ledger/expenses/{e.pk}/receipt/"
    client.force_login(member)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_member)
    assert client.get(url).status_code == 404
