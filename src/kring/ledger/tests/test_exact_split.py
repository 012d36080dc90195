"""An expense split by exact amounts: amounts typed as "12,50" or "12.50", the parts checked
against the whole with the difference in euros, and the running total's place in the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kring.ledger.models import Expense

pytestmark = pytest.mark.django_db


def post(client: Client, network: Any, payer: Any, amount: str, parts: dict[int, str]) -> Any:
    data = {
        "description": "Zaalhuur",
        "amount": amount,
        "spent_on": "2026-11-02",
        "payer": str(payer.pk),
        "category": "venue",
        "split_method": "exact",
    }
    data.update({f"amount_{uid}": value for uid, value in parts.items()})
    return client.post(reverse("ledger:expense_new", args=[network.slug]), data)


def test_dutch_and_english_decimals_both_work(network: Any, host: Any, member: Any) -> None:
    client = Client()
    client.force_login(host)
    response = post(client, network, host, "40,00", {host.pk: "12.50", member.pk: "27,50"})
    assert response.status_code == 302
    expense = Expense.objects.get(network=network)
    assert expense.amount_cents == 4000
    assert sorted(expense.shares.values_list("cents", flat=True)) == [1250, 2750]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The parts add up to €38.00, not €40.00."),
        ("nl", "De delen tellen op tot € 38,00, niet € 40,00."),
    ],
)
def test_parts_that_do_not_add_up_are_an_error_in_euros(
    network: Any, host: Any, member: Any, language: str, message: str
) -> None:
    client = Client(headers={"Accept-Language": language})
    client.force_login(host)
    with translation.override(language):
        response = post(client, network, host, "40,00", {host.pk: "12,50", member.pk: "25.50"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Expense.objects.filter(network=network).exists()


def test_the_form_has_a_running_total_for_the_script(network: Any, host: Any) -> None:
    client = Client()
    client.force_login(host)
    page = client.get(reverse("ledger:expense_new", args=[network.slug])).content.decode()
    fieldset = page.split('data-split="exact"', 1)[1].split("</fieldset>", 1)[0]
    assert 'class="running-total" data-split-total hidden aria-live="polite"' in fieldset
    assert "{assigned} of {total} assigned — {left} left" in fieldset
    assert "<script>" not in page  # CSP: the script is a static file
    assert "ledger/expense_form" in page
