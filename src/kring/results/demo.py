"""Demo data: coaching starters in Utrecht — objectives with a year of contributions,
requests in every state, an intention for every member and a few referrals."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import (
    Contribution,
    HelperHow,
    HelpRequest,
    Intention,
    Objective,
    Referral,
    ReferralStatus,
    RequestHelper,
    RequestStatus,
    Seek,
    Unit,
    Visibility,
)

REQUESTS = [
    # status, name, organisation, need, tags, declined
    (
        "new",
        "Yusuf Demir",
        "Bakkerij Demir",
        "Ik start een bakkerij in Kanaleneiland en weet niet hoe ik mijn prijzen moet berekenen.",
        ["boekhouding", "businessplan"],
        False,
    ),
    (
        "new",
        "Marloes Kok",
        "",
        "Wie kan naar mijn website kijken? Er komen bezoekers maar niemand neemt contact op.",
        ["webdesign", "copywriting"],
        False,
    ),
    (
        "open",
        "Stichting Buurtkracht",
        "Stichting Buurtkracht",
        "We zoeken iemand die een "
        "workshop 'je eerste klant' wil geven voor twintig buurtondernemers.",
        ["workshops", "training"],
        False,
    ),
    (
        "open",
        "Priya Ramdin",
        "Ramdin Vertalingen",
        "Hulp bij mijn eerste subsidieaanvraag voor een vertaalproject.",
        ["subsidieadvies"],
        False,
    ),
    (
        "matched",
        "Tom Visser",
        "Fietsenmaker Visser",
        "Ik wil een huisstijl die past bij mijn werkplaats.",
        ["huisstijl", "illustratie"],
        False,
    ),
    (
        "matched",
        "ROC Midden Nederland",
        "ROC Midden Nederland",
        "Gastlessen ondernemerschap voor studenten Retail.",
        ["mentoring", "training"],
        False,
    ),
    (
        "in_progress",
        "Ilse Brouwer",
        "Brouwer Bloemen",
        "Mijn boekhouding loopt achter, wie helpt me op weg?",
        ["boekhouding"],
        False,
    ),
    (
        "in_progress",
        "Karim El Amrani",
        "",
        "Pitch oefenen voor een lening bij Qredits.",
        ["pitchtraining", "financieringsadvies"],
        False,
    ),
    ("done", "Anouk Smit", "Smit Yoga", "Foto's voor mijn nieuwe website.", ["fotografie"], False),
    (
        "done",
        "Wijkcentrum De Leeuw",
        "Wijkcentrum De Leeuw",
        "Een avond over belasting voor starters in de wijk.",
        ["belastingaangifte", "workshops"],
        False,
    ),
    (
        "done",
        "Ravi Soekhoe",
        "Soekhoe IT",
        "Mijn algemene voorwaarden nakijken.",
        ["contractreview", "juridisch advies"],
        False,
    ),
    (
        "closed",
        "Dennis Bakker",
        "Bakker Holding",
        "Wij zoeken goedkope programmeurs voor ons product.",
        ["softwareontwikkeling"],
        True,
    ),
    (
        "closed",
        "Lieke Mulder",
        "",
        "Een mentor voor mijn eerste jaar als zzp'er; ze vond intussen zelf iemand.",
        ["mentoring"],
        False,
    ),
]


def _new_request(network: Any, now: Any, i: int, row: tuple) -> HelpRequest:
    status, name, org, need, tags, declined = row
    salt = secrets.token_hex(16)
    req = HelpRequest.objects.create(
        network=network,
        name=name,
        organisation=org,
        need=need,
        tags=tags,
        email=f"aanvrager{i}@example.org",
        status=status,
        declined=declined,
        token_salt=salt,
        token_hash=HelpRequest.hash_token(HelpRequest.token_for_salt(salt)),
        email_confirmed_at=now - timedelta(days=60 - i * 4),
    )
    created = now - timedelta(days=90 - i * 6)
    HelpRequest.objects.filter(pk=req.pk).update(created_at=created)
    return req


@transaction.atomic
def seed(ctx: Any) -> None:
    network = ctx.network
    if Objective.objects.filter(network=network).exists():
        return
    rng, now = ctx.rng, ctx.now
    today = timezone.localdate(now, timezone=network.tzinfo)
    start = today - timedelta(days=330)
    end = start + timedelta(days=364)
    members = ctx.members()
    host = ctx.host
    hours = Objective.objects.create(
        network=network,
        title="Uren coaching voor starters",
        unit=Unit.HOURS,
        description="Eén op één gesprekken, werkplaatsen en meelopen met starters in Utrecht.",
        target=Decimal(600),
        period_start=start,
        period_end=end,
        visibility=Visibility.PUBLIC,
        created_by=host,
    )
    helped = Objective.objects.create(
        network=network,
        title="Starters op weg geholpen",
        unit=Unit.PEOPLE,
        description="Starters die dankzij ons een concrete stap zetten.",
        target=Decimal(120),
        period_start=start,
        period_end=end,
        visibility=Visibility.PUBLIC,
        created_by=host,
    )
    overvecht = Objective.objects.create(
        network=network,
        parent=helped,
        title="Starters in Overvecht",
        unit=Unit.PEOPLE,
        description="Samen met het wijkcentrum: starters uit Overvecht.",
        target=Decimal(60),
        period_start=start,
        period_end=end,
        visibility=Visibility.MEMBERS,
        created_by=host,
    )
    fund = Objective.objects.create(
        network=network,
        title="Geld voor het Startersfonds Utrecht",
        unit=Unit.EUROS,
        description="Opbrengst van onze jaarlijkse veiling, voor microkredieten.",
        target=Decimal(5000),
        period_start=start,
        period_end=end,
        visibility=Visibility.MEMBERS,
        created_by=host,
    )
    clients = [
        "Bakkerij Demir",
        "Smit Yoga",
        "een starter uit Zuilen",
        "Studio Noor",
        "Fietsenmaker Visser",
        "een zzp'er in Leidsche Rijn",
        "Brouwer Bloemen",
        "Wijkcentrum De Leeuw",
        "een student van het ROC",
    ]
    notes = [
        "Gesprek over prijzen",
        "Website samen doorgelopen",
        "Businessplan besproken",
        "Werkplaats 'je eerste klant'",
        "Belastingaangifte voorbereid",
        "Pitch geoefend",
        "Meegelopen bij een klantgesprek",
    ]
    for _i in range(160):
        day = start + timedelta(days=rng.randrange(0, (today - start).days + 1))
        objective = rng.choice([hours, hours, hours, helped, overvecht, fund])
        amount = {
            Unit.HOURS: Decimal(rng.choice([1, 1.5, 2, 2, 3, 4])),
            Unit.PEOPLE: Decimal(rng.choice([1, 1, 2, 3])),
            Unit.EUROS: Decimal(rng.choice([25, 50, 75, 150, 250])),
        }[objective.unit]
        member = rng.choice(members)
        c = Contribution.objects.create(
            network=network,
            objective=objective,
            member=member,
            amount=amount,
            date=day,
            for_whom=rng.choice(clients) if objective.unit != Unit.EUROS else "",
            note=rng.choice(notes) if objective.unit == Unit.HOURS else "",
            created_by=member,
            confirmed_at=now - timedelta(days=1) if rng.random() < 0.4 else None,
            confirmed_by=host if rng.random() < 0.4 else None,
        )
        if _i % 40 == 7:  # a few honest corrections, the original stays
            Contribution.objects.create(
                network=network,
                objective=objective,
                member=member,
                amount=-amount,
                date=day,
                note="Dubbel geteld, gecorrigeerd",
                corrects=c,
                created_by=member,
            )
    by_local = ctx.people
    helpers = [
        by_local.get(x)
        for x in ("bram", "anna", "tim", "thijs", "sanne", "lotte", "tess", "member")
    ]
    helpers = [h for h in helpers if h is not None] or members
    for i, row in enumerate(REQUESTS):
        req = _new_request(network, now, i, row)
        if req.status != RequestStatus.NEW:
            req.triaged_by = host
            req.triaged_at = now - timedelta(days=80 - i * 5)
            if req.declined:
                req.decline_message = (
                    "Dank je voor je vraag. Wij helpen starters met raad en "
                    "daad, maar leveren geen goedkope arbeidskrachten. "
                    "Misschien kan de Hogeschool Utrecht je verder helpen."
                )
            else:
                req.host_note = "Mooie vraag die past bij ons doel."
        if req.status in (RequestStatus.MATCHED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
            who = helpers[i % len(helpers)]
            RequestHelper.objects.create(
                request=req,
                user=who,
                accepted=True,
                how=HelperHow.VOLUNTEERED if i % 2 else HelperHow.ASKED,
                asked_by=None if i % 2 else host,
                responded_at=now - timedelta(days=40),
            )
            if req.status == RequestStatus.DONE:
                req.done_at = now - timedelta(days=20 - i)
                Contribution.objects.create(
                    network=network,
                    objective=hours,
                    member=who,
                    amount=Decimal(3),
                    date=today - timedelta(days=21 - i),
                    for_whom=req.organisation or req.name,
                    request=req,
                    note="Hulpvraag afgerond",
                    created_by=who,
                    confirmed_at=now - timedelta(days=10),
                    confirmed_by_requester=True,
                )
                if i != 10:
                    req.feedback_rating = 5 if i == 8 else 4
                    req.feedback_text = "Heel fijn geholpen, dank jullie wel!"
                    req.feedback_at = now - timedelta(days=5)
        if req.status == RequestStatus.OPEN and i == 3:
            RequestHelper.objects.create(
                request=req, user=by_local.get("fleur") or host, how=HelperHow.ASKED, asked_by=host
            )
        req.save()
    seek_sets = [
        ([Seek.LEADS, Seek.PEOPLE], [Seek.KNOWLEDGE, Seek.GOAL]),
        ([Seek.GOAL], [Seek.KNOWLEDGE, Seek.SPARRING]),
        ([Seek.SPARRING, Seek.KNOWLEDGE], [Seek.GOAL]),
        ([Seek.LEADS], [Seek.GOAL, Seek.PEOPLE]),
        ([Seek.PEOPLE, Seek.GOAL], [Seek.SPARRING]),
        ([Seek.KNOWLEDGE], [Seek.GOAL, Seek.LEADS]),
    ]
    for i, user in enumerate(members):
        seeks, gives = seek_sets[i % len(seek_sets)]
        detail = ""
        if i == 4:
            seeks, detail = [*seeks, Seek.OTHER], "Een plek om te oefenen met spreken"
        Intention.objects.create(
            network=network,
            user=user,
            seeks=sorted(seeks),
            gives=sorted(gives),
            seeks_detail=detail,
            gives_detail="Een paar uur per maand voor starters" if Seek.GOAL in gives else "",
            updated_at=now - timedelta(days=rng.randrange(5, 250)),
        )
    pairs = [
        ("bram", "member", ReferralStatus.WON, 180000),
        ("anna", "lucas", ReferralStatus.CONTACTED, None),
        ("member", "anna", ReferralStatus.PASSED, None),
        ("thijs", "bram", ReferralStatus.NOT_WON, None),
        ("host", "tess", ReferralStatus.WON, 95000),
    ]
    leads = [
        "Een webshop in Lombok zoekt een nieuwe site",
        "Fotograaf gezocht voor een bruiloft",
        "Een starter zoekt een boekhouder",
        "Stichting zoekt financieel advies",
        "Een kapsalon wil een nieuwe huisstijl",
    ]
    for (a, b, status, value), lead in zip(pairs, leads, strict=True):
        ua, ub = by_local.get(a), by_local.get(b)
        if ua is None or ub is None:
            continue
        Referral.objects.create(
            network=network,
            from_user=ua,
            to_user=ub,
            lead=lead,
            status=status,
            value_cents=value,
            contact="via e-mail, zie notitie",
        )
