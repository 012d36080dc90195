"""Issue 12, item 4: a referral received is mailed to its receiver and stays in the digest
until answered."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from kring.public.digest import digest_context
from kring.results import services

pytestmark = pytest.mark.django_db


def test_a_referral_reaches_its_receiver_and_waits_in_the_digest(
    network: Any, host: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.pass_referral(
            actor=host, network=network, to_user=member, lead="Q&A bij O'Brien BV", note="Bel Jan"
        )
    [m] = mail.outbox
    assert m.to == ["member@test.example"]
    assert m.subject == "Hanna Host passed you a lead"
    assert "Q&A bij O'Brien BV" in m.body and "Bel Jan" in m.body
    assert [r["lead"] for r in digest_context(user=member, network=network)["referrals"]] == [
        "Q&A bij O'Brien BV"
    ]
    assert digest_context(user=host, network=network)["referrals"] == []
    services.update_referral(actor=member, referral=referral, status="contacted")
    assert digest_context(user=member, network=network)["referrals"] == []
