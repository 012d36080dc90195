"""Demo data: a charter with one revision, engagement history, applications in every state
(most of them spontaneous) and the settings that make the scorecard worth a look."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kring.networks.models import Membership, Network, Role

from .models import (
    Application,
    ApplicationAdvice,
    ApplicationStatus,
    CharterVersion,
    CommitmentSettings,
    DeletedApplicationTally,
    EngagementSnapshot,
    HeardVia,
)
from .selectors import month_start

REVISION = """
- Kun je niet komen? Meld je dan vooraf af, dan kan een ander je plek krijgen.
- Je logt je bijdragen aan ons doel, zodat we samen zien wat we bereiken.
"""

APPLICANTS = [
    # name, email, passion, talents, gives, seeks, heard_via, status, days ago
    (
        "Sanne Visser",
        "sanne.visser",
        "Starters helpen met hun eerste klant",
        "Verkoop, netwerken",
        "Mijn netwerk in de horeca",
        "Sparringpartners",
        HeardVia.PUBLIC_PAGE,
        ApplicationStatus.PENDING,
        6,
    ),
    (
        "Youssef El Amrani",
        "youssef",
        "Eerlijke financiering voor starters",
        "Financiën",
        "Hulp bij begrotingen",
        "Opdrachtgevers",
        HeardVia.GATHERING,
        ApplicationStatus.PENDING,
        12,
    ),
    (
        "Lotte de Boer",
        "lotte",
        "Duurzaam ondernemen",
        "Communicatie",
        "Schrijfwerk",
        "Ervaren ondernemers",
        HeardVia.OWN,
        ApplicationStatus.PENDING,
        3,
    ),
    (
        "Ravi Ramdin",
        "ravi",
        "Techniek toegankelijk maken",
        "Webdesign",
        "Websites voor starters",
        "Klanten in de zorg",
        HeardVia.SOCIAL,
        ApplicationStatus.WAITLISTED,
        30,
    ),
    (
        "Femke Smit",
        "femke",
        "Jongeren aan het werk",
        "Coaching",
        "Coachgesprekken",
        "Een groter netwerk",
        HeardVia.MEMBER,
        ApplicationStatus.DECLINED,
        20,
    ),
    (
        "Daan Mulder",
        "daan",
        "Vastgoed",
        "Onderhandelen",
        "Advies",
        "Leads",
        HeardVia.OTHER,
        ApplicationStatus.DECLINED,
        9,
    ),
    (
        "Iris Koster",
        "iris.koster",
        "Lokale voedselketens",
        "Projectleiding",
        "Tijd",
        "Samenwerking",
        HeardVia.PUBLIC_PAGE,
        ApplicationStatus.UNVERIFIED,
        1,
    ),
]


def seed(ctx: Any) -> None:
    network: Network = ctx.network
    if CharterVersion.objects.filter(network=network).exists():
        return
    now = ctx.now
    rng = ctx.rng
    host = ctx.host

    # Charter: version 1 (the founding text) and one revision three weeks ago.
    v1 = CharterVersion.objects.create(
        network=network,
        number=1,
        text=network.charter,
        summary="De eerste versie.",
        author=host,
        published_at=network.created_at,
    )
    revised = network.charter.rstrip() + "\n" + REVISION.strip() + "\n"
    v2 = CharterVersion.objects.create(
        network=network,
        number=2,
        text=revised,
        author=host,
        summary="Afmelden als je niet kunt komen, en je bijdragen loggen.",
        published_at=now - timedelta(days=21),
    )
    Network.objects.filter(pk=network.pk).update(charter=revised)
    memberships = list(Membership.objects.filter(network=network).order_by("pk"))
    for i, m in enumerate(memberships):
        # most accepted the revision; the demo member and a few others have not yet
        if m.role == Role.HOST or (m.user_id != ctx.member.pk and i % 4 != 1):
            Membership.objects.filter(pk=m.pk).update(
                charter_accepted_at=v2.published_at + timedelta(days=1 + i % 10)
            )
        else:
            Membership.objects.filter(pk=m.pk).update(
                charter_accepted_at=max(m.joined_at, v1.published_at)
            )

    CommitmentSettings.objects.update_or_create(
        network=network,
        defaults={
            "members_may_advise": True,
            "max_members": None,
            "publish_health": True,  # the demo shows the scorecard on the public page
            "low_engagement_threshold": 35,
        },
    )

    # Engagement history: six monthly snapshots, most members steady, a few drifting down.
    first = month_start((now - timedelta(days=160)).date())
    months = []
    month = first
    for _ in range(6):
        months.append(month)
        month = month_start(month + timedelta(days=32))
    snapshots = []
    for i, mship in enumerate(memberships):
        base = rng.randint(45, 90)
        drift = -8 if i % 7 == 3 else rng.randint(-2, 3)
        for k, month in enumerate(months):
            score = max(5, min(100, base + drift * k + rng.randint(-5, 5)))
            snapshots.append(
                EngagementSnapshot(network=network, user_id=mship.user_id, month=month, score=score)
            )
    EngagementSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)

    # Applications in every state; the accepted ones are members who joined that way.
    for name, local, passion, talents, gives, seeks, via, status, days in APPLICANTS:
        created = now - timedelta(days=days)
        decided = None
        if status in (ApplicationStatus.DECLINED,):
            decided = created + timedelta(days=2)
        app = Application.objects.create(
            network=network,
            name=name,
            email=f"{local}@example.net",
            passion=passion,
            talents=talents,
            gives=gives,
            seeks=seeks,
            heard_via=via,
            status=status,
            charter_version=v2 if days < 21 else v1,
            created_at=created,
            verified_at=None if status == ApplicationStatus.UNVERIFIED else created,
            decided_at=decided,
            decided_by=host if decided else None,
            decision_message=(
                "Dank je wel voor je interesse. We zoeken nu vooral mensen die "
                "starters willen coachen; misschien past een ander netwerk beter."
                if status == ApplicationStatus.DECLINED
                else ""
            ),
        )
        if status == ApplicationStatus.PENDING and days > 5:
            ApplicationAdvice.objects.create(
                application=app,
                author=ctx.member,
                text="Ik ken haar van een bijeenkomst: betrokken en ze brengt veel mee.",
            )
    joined_members = [mm for mm in memberships if mm.role != Role.HOST][:6]
    vias = [
        HeardVia.OWN,
        HeardVia.PUBLIC_PAGE,
        HeardVia.GATHERING,
        HeardVia.SOCIAL,
        HeardVia.MEMBER,
        HeardVia.OWN,
    ]
    for mm, via in zip(joined_members, vias, strict=False):
        created = mm.joined_at - timedelta(days=10)
        Application.objects.create(
            network=network,
            name=mm.user.display_name,
            email=mm.user.email,
            passion=getattr(getattr(mm.user, "profile", None), "passion", "") or "Starters",
            heard_via=via,
            status=ApplicationStatus.ACCEPTED,
            created_at=created,
            verified_at=created,
            decided_at=mm.joined_at,
            decided_by=host,
            user=mm.user,
            charter_version=v1,
        )
    # Older declined applications, already deleted: only their counts remain.
    for days, via in ((120, HeardVia.OWN), (200, HeardVia.MEMBER), (260, HeardVia.SOCIAL)):
        DeletedApplicationTally.objects.create(
            network=network,
            month=month_start((now - timedelta(days=days)).date()),
            heard_via=via,
            count=1,
        )
