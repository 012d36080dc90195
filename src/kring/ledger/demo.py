"""Demo ledger for "Netwerk anno nu": a year of real costs, partly settled, a pot in use."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kring.networks.models import Membership, Network

from . import integration, services
from .models import Expense, SplitMethod
from .selectors import balances
from .settle import settle_up

DEMO_IBAN = "NL91ABNA0417164300"  # a well-known valid test IBAN


def _month_gathering(network: Network, day: date) -> Any | None:
    titles = integration.gatherings_between(network, day.replace(day=1), day + timedelta(days=27))
    if not titles:
        return None
    return integration.gathering_in(network, min(titles))


def seed(ctx: Any) -> None:
    network = ctx.network
    if Expense.objects.filter(network=network).exists():
        return
    rng = ctx.rng
    host = ctx.host
    people = ctx.people
    daan = people.get("daan", host)
    members = [
        m.user
        for m in Membership.objects.current()
        .filter(network=network)
        .select_related("user")
        .order_by("pk")
    ]
    today = ctx.now.date()
    first = (today - timedelta(days=360)).replace(day=5)

    services.set_bank_account(actor=host, network=network, iban=DEMO_IBAN, holder="H. Vermeulen")
    coffee_payers = [u for u in members if u != host][:6] or [host]

    month = first
    n = 0
    while month <= today - timedelta(days=5):
        gathering = _month_gathering(network, month)
        checked_in = integration.checked_in_user_ids(gathering) if gathering else []
        split: dict[str, Any] = (
            {"split_method": SplitMethod.CHECKED_IN, "gathering_id": gathering.pk}
            if checked_in and gathering is not None
            else {
                "split_method": SplitMethod.EQUAL,
                "gathering_id": gathering.pk if gathering else None,
            }
        )
        services.record_expense(
            actor=host,
            network=network,
            payer_id=host.pk,
            amount_cents=12000,
            spent_on=month,
            description="Zaalhuur Buurthuis De Pijler",
            category="venue",
            **split,
        )
        payer = coffee_payers[n % len(coffee_payers)]
        services.record_expense(
            actor=payer,
            network=network,
            payer_id=payer.pk,
            amount_cents=rng.randrange(1650, 3400, 5),
            spent_on=month + timedelta(days=1),
            description=rng.choice(
                ["Koffie, thee en koekjes", "Koffie en stroopwafels", "Koffie en fruit"]
            ),
            category="catering",
            **split,
        )
        if n == 5:
            services.record_expense(
                actor=daan,
                network=network,
                payer_id=daan.pk,
                amount_cents=35000,
                spent_on=month + timedelta(days=2),
                description="Trainer workshop 'Je eerste klant' (Sanne de Wit)",
                category="other",
                **split,
            )
        if n == 7:
            wrong = services.record_expense(
                actor=payer,
                network=network,
                payer_id=payer.pk,
                amount_cents=4250,
                spent_on=month + timedelta(days=1),
                description="Flipovers en stiften",
                category="materials",
                **split,
            )
            services.reverse_expense(
                actor=host,
                expense=wrong,
                reason="Dubbel ingevoerd; stond al op de bon van vorige maand.",
            )
        if n == 8:  # settle everything up to now: the first eight months are paid off
            for t in settle_up({u: c for u, c in balances(network).items() if c}):
                payer_user = next(u for u in members if u.pk == t.payer)
                payee_user = next(u for u in members if u.pk == t.payee)
                tr = services.record_transfer(
                    actor=payer_user,
                    network=network,
                    payee_id=t.payee,
                    cents=t.cents,
                    paid_on=month + timedelta(days=3),
                    note="Afrekening",
                )
                services.decide_transfer(actor=payee_user, transfer=tr, confirm=True)
        month = (month + timedelta(days=32)).replace(day=5)
        n += 1

    # the solidarity pot: two members put money in, one share was covered, one request open
    givers = [u for u in members if u not in (host, ctx.member)][:2]
    for giver, cents in zip(givers, (5000, 2500), strict=False):
        services.contribute_to_pot(actor=giver, network=network, cents=cents)
    if len(members) > 4:
        asker = members[-1]
        req = services.ask_support(
            actor=asker, network=network, cents=1500, note="Even krap bij kas deze maanden."
        )
        services.decide_support(actor=host, request=req, grant=True)
        services.ask_support(
            actor=members[-2],
            network=network,
            cents=1000,
            note="Mag mijn deel van de workshop uit de pot?",
        )

    # an open payment request to the host, so the QR code shows
    bal = balances(network)
    debtor = ctx.member if bal.get(ctx.member.pk, 0) < 0 else min(members, key=lambda u: bal[u.pk])
    owed = -bal.get(debtor.pk, 0)
    if owed > 0 and debtor != host:
        services.request_payment(
            actor=host,
            network=network,
            payer_id=debtor.pk,
            payee_id=host.pk,
            cents=min(owed, max(1, bal.get(host.pk, 0))),
        )

    # one payment waiting for the host's confirmation
    bal = balances(network)
    waiting = next(
        (u for u in members if u not in (host, ctx.member) and bal.get(u.pk, 0) < 0), None
    )
    if waiting is not None and bal.get(host.pk, 0) > 0:
        services.record_transfer(
            actor=waiting,
            network=network,
            payee_id=host.pk,
            cents=min(-bal[waiting.pk], bal[host.pk]),
            note="Tikkie gestuurd",
        )
