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
    mine = page.locator("section", has=page.get_by_role("heading", name="Your part in settling up"))
    expect(mine).to_contain_text("You pay Hanna Vermeulen €\u00a037.70")
    mine.get_by_role("button", name="Pay now").click()
    expect(page.locator("svg.epc-qr")).to_be_visible()
    expect(page.get_by_test_id("transfer-text")).to_contain_text("NL91 ABNA 0417 1643 00")
    expect(page.get_by_test_id("transfer-text")).to_contain_text("EUR 37,70")
    page.get_by_role("button", name="I have paid").click()

    # Paid: every tab says "awaiting confirmation" and none offers "Pay now" again.
    tabs = page.get_by_role("navigation", name="Costs")
    expect(tabs.get_by_role("link", name="My balance")).to_have_attribute("aria-current", "page")
    expect(mine.get_by_test_id("awaiting")).to_have_text("awaiting confirmation")
    expect(page.get_by_role("button", name="Pay now")).to_have_count(0)
    tabs.get_by_role("link", name="Settle up").click()
    expect(page.get_by_test_id("awaiting")).to_have_text("awaiting confirmation")
    expect(page.get_by_role("button", name="Pay now")).to_have_count(0)
    tabs.get_by_role("link", name="Ledger").click()
    expect(page.get_by_role("cell", name="awaiting confirmation")).to_be_visible()
    tabs.get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", name="Cost coverage")).to_be_visible()

    # The payee confirms; the member is square and nothing waits any more.
    from kring.ledger.models import Transfer

    transfer = Transfer.objects.get(payer=people["member"])
    services.decide_transfer(actor=people["host"], transfer=transfer, confirm=True)
    tabs.get_by_role("link", name="My balance").click()
    expect(page.get_by_test_id("my-balance")).to_contain_text("0.00")
    expect(page.get_by_test_id("awaiting")).to_have_count(0)


def test_exact_split_shows_a_running_total_as_you_type(
    page: Any, live_server: Any, people: dict[str, Any]
) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("member@example.org")
    page.locator("input[name=password]").fill("kring-test-pw")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/n/anno-nu/ledger/expenses/new/")
    page.locator("input[name=description]").fill("Zaalhuur")
    page.locator("input[name=amount]").fill("40")
    page.locator("input[name=split_method][value=exact]").check()
    total = page.locator("[data-split-total]")
    expect(total).to_be_visible()
    member, host = people["member"].pk, people["host"].pk
    page.locator(f"input[name=amount_{member}]").fill("12,50")
    expect(total).to_have_text("€\u00a012,50 van €\u00a040,00 verdeeld — nog €\u00a027,50 over")
    page.locator(f"input[name=amount_{host}]").fill("30.00")
    expect(total).to_have_text("€\u00a042,50 van €\u00a040,00 verdeeld — €\u00a02,50 te veel")
    page.locator(f"input[name=amount_{host}]").fill("25.50")
    page.get_by_role("button", name="Uitgave opslaan").click()
    # the server says it in euros too (JavaScript or not)
    expect(page.get_by_text("De delen tellen op tot € 38,00, niet € 40,00.")).to_be_visible()
