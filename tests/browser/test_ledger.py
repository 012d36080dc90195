"""A member records an expense, sees the balance, and pays a settle-up with the SEPA QR."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Any]:
    from kring.ledger import services
    from kring.networks.models import Role
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory

    network = NetworkFactory(slug="anno-nu", name="Netwerk anno nu")
    member = UserFactory(email="member@example.org", profile__display_name="Mila de Jong")
    MembershipFactory(network=network, user=member)
    host = UserFactory(email="host@example.org", profile__display_name="Hanna Vermeulen")
    MembershipFactory(network=network, user=host, role=Role.HOST)
    services.set_bank_account(
        actor=host, network=network, iban="NL91ABNA0417164300", holder="Hanna Vermeulen"
    )
    return {"network": network, "member": member, "host": host}


def test_record_expense_and_settle_with_qr(
    page: Any, live_server: Any, people: dict[str, Any]
) -> None:
    from kring.ledger import services

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").first.fill("member@example.org")
    page.get_by_label("Password").fill("kring-test-pw")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/n/anno-nu/ledger/")
    expect(page.get_by_role("heading", name="Costs", exact=True)).to_be_visible()
    page.get_by_role("link", name="Record an expense").click()
    page.get_by_label("What for").fill("Koffie en stroopwafels")
    page.get_by_label("Amount (€)").fill("24,60")
    page.get_by_label("Category").select_option("catering")
    page.get_by_role("button", name="Save expense").click()
    expect(page.get_by_role("heading", name="Koffie en stroopwafels")).to_be_visible()
    page.get_by_role("link", name="← Costs").click()
    expect(page.get_by_test_id("my-balance")).to_contain_text("12.30")

    # the host paid the venue; the member now owes the host
    services.record_expense(
        actor=people["host"],
        network=people["network"],
        payer_id=people["host"].pk,
        amount_cents=10000,
        spent_on=__import__("datetime").date.today(),
        description="Zaalhuur",
        category="venue",
        split_method="equal",
    )
    page.reload()
    settle = page.locator("section", has=page.get_by_role("heading", name="Settle up"))
    expect(settle).to_contain_text("Mila de Jong pays Hanna Vermeulen €\u00a037.70")
    settle.get_by_role("button", name="Pay now").click()
    expect(page.locator("svg.epc-qr")).to_be_visible()
    expect(page.get_by_test_id("transfer-text")).to_contain_text("NL91 ABNA 0417 1643 00")
    expect(page.get_by_test_id("transfer-text")).to_contain_text("EUR 37,70")
    page.get_by_role("button", name="I have paid").click()
    expect(page.get_by_role("cell", name="waiting for confirmation")).to_be_visible()
