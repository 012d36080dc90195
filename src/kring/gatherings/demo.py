"""Demo: a year of monthly gatherings with agendas, attendance, minutes, action items and
discussion, plus upcoming gatherings (one open Open Coffee that is nearly full).

Written straight to the database (the history lies in the past, which the use-cases rightly
refuse) and without e-mail; the seat counters are kept exactly in step with the RSVPs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from kring.core.covers import DEMO_COVER_COLOURS, generated_cover, render_cover, save_cover

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaRead,
    AgendaStatus,
    ByoItem,
    Comment,
    ContributionMethod,
    Gathering,
    GatheringMode,
    Rsvp,
    RsvpStatus,
    Series,
)

VENUES = [
    ("De Werkplaats", "Oudegracht 245, Utrecht"),
    ("Bibliotheek Neude", "Neude 11, Utrecht"),
    ("Café Olivier", "Achter Clarenburg 6a, Utrecht"),
    ("Het Huis Utrecht", "Boorstraat 107, Utrecht"),
]
THEMES = [
    "Je eerste klant",
    "Prijzen zetten",
    "Financiering voor starters",
    "Zichtbaar worden",
    "Samenwerken met scholen",
    "Administratie zonder stress",
    "Netwerken in de wijk",
    "Groeien zonder personeel",
    "Duurzaam ondernemen",
    "Subsidies en regelingen",
    "Verkopen zonder te pushen",
    "Terugblik en plannen",
]
AGENDA = [
    ("Welkom en voorstelronde", 15, ""),
    ("Ronde: wat zoek je, wat geef je?", 30, ""),
    ("Thema: {theme}", 45, "Lees vooraf het stuk van de inleider."),
    ("Openstaande acties", 15, ""),
    ("Afsluiting en borrel", 15, ""),
]
ACTIONS = [
    "Verslag rondsturen",
    "Starter voorstellen aan de gemeente",
    "Workshop plannen",
    "Contact leggen met de hogeschool",
    "Lijst met subsidies delen",
    "Locatie regelen",
    "Nieuwe starters uitnodigen",
    "Sprekers benaderen",
]
COMMENTS = [
    "Zin in! Ik neem een starter mee die net begonnen is.",
    "Kan iemand de slides van vorige keer delen?",
    "Dank voor de goede avond, ik heb er veel aan gehad.",
    "Ik kom iets later, rond acht uur.",
    "Mooi gesprek over prijzen. Ik heb mijn tarief direct aangepast.",
    "Wie wil er volgende keer het thema inleiden?",
]
BYO = ["Beamer", "Koffie en thee", "Iets lekkers", "Verlengsnoer", "Flip-over"]


def _second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    offset = (1 - first.weekday()) % 7
    return first + timedelta(days=offset + 7)


def _at(day: date, hour: int, minute: int, tz: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), tz)


def seed(ctx: Any) -> None:
    network = ctx.network
    if Gathering.objects.filter(network=network).exists():
        seed_outside(ctx)
        return
    rng = ctx.rng
    tz = network.tzinfo
    members = ctx.members()
    host = ctx.host
    today = timezone.localtime(ctx.now, tz).date()
    room = max(30, len(members) + 5)
    series = Series.objects.create(network=network, rrule="FREQ=MONTHLY;BYDAY=2TU")

    # --- A year of history: twelve monthly gatherings -------------------------------------
    months = []
    y, m = today.year, today.month
    for _ in range(13):
        day = _second_tuesday(y, m)
        if day < today:
            months.append(day)
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    months = sorted(months)[-12:]
    for i, day in enumerate(months):
        theme = THEMES[i % len(THEMES)]
        venue = VENUES[i % len(VENUES)]
        start = _at(day, 19, 30, tz)
        g = Gathering.objects.create(
            network=network,
            series=series,
            title=f"Maandbijeenkomst: {theme}",
            description=f"Onze maandelijkse bijeenkomst. Thema deze keer: **{theme}**.",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue_name=venue[0],
            venue_address=venue[1],
            capacity=room,
            created_by=host,
            agenda_status=AgendaStatus.PUBLISHED,
            agenda_published_at=start - timedelta(days=7),
            agenda_reminder_sent_at=start - timedelta(days=2),
        )
        for pos, (title, minutes, desc) in enumerate(AGENDA, start=1):
            AgendaItem.objects.create(
                gathering=g,
                position=pos,
                title=title.format(theme=theme.lower()),
                duration_minutes=minutes,
                description=desc,
                owner=host if pos in (1, 5) else rng.choice(members),
                prep_url="https://www.kvk.nl/starten/" if pos == 3 else "",
            )
        going = [u for u in members if rng.random() < 0.72] or members[:3]
        rsvps = []
        for u in members:
            if u in going:
                status = RsvpStatus.GOING
            else:
                status = rng.choice([RsvpStatus.NOT_GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING])
            checked = status == RsvpStatus.GOING and rng.random() < 0.88
            rsvps.append(
                Rsvp(
                    gathering=g,
                    user=u,
                    status=status,
                    answered_at=start - timedelta(days=rng.randint(3, 20)),
                    checked_in_at=start + timedelta(minutes=rng.randint(-15, 20))
                    if checked
                    else None,
                    checked_in_by=host if checked else None,
                )
            )
        Rsvp.objects.bulk_create(rsvps)
        Gathering.objects.filter(pk=g.pk).update(seats_taken=len(going))
        AgendaRead.objects.bulk_create(
            [
                AgendaRead(
                    gathering=g,
                    user=u,
                    read_at=start - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 9)),
                )
                for u in members
                if rng.random() < (0.8 if u in going else 0.3)
            ]
        )
        ByoItem.objects.bulk_create(
            [
                ByoItem(
                    gathering=g,
                    label=label,
                    claimed_by=rng.choice(going),
                    claimed_at=start - timedelta(days=3),
                )
                for label in rng.sample(BYO, 2)
            ]
        )
        owners = rng.sample(members, 3)
        new_actions = []
        for k, owner in enumerate(owners):
            due = day + timedelta(days=21)
            is_old = i < len(months) - 2
            done = (is_old and rng.random() < 0.85) or (not is_old and k == 0)
            done_at = _at(due - timedelta(days=rng.randint(-4, 10)), 12, 0, tz) if done else None
            new_actions.append(
                ActionItem(
                    network=network,
                    gathering=g,
                    owner=owner,
                    title=ACTIONS[(i * 3 + k) % len(ACTIONS)],
                    due_date=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    done_at=done_at,
                    created_at=start + timedelta(hours=2),
                    overdue_reminded_at=(
                        _at(due + timedelta(days=1), 9, 0, tz) if not done and due < today else None
                    ),
                )
            )
        ActionItem.objects.bulk_create(new_actions)
        present = [r.name for r in rsvps if r.checked_in_at][:8]
        Gathering.objects.filter(pk=g.pk).update(
            minutes=(
                f"## Aanwezig\n{', '.join(present)} en anderen.\n\n"
                f"## {theme}\n- De inleider deelde drie lessen uit de praktijk.\n"
                "- We spraken af elkaar vaker te bellen tussen de bijeenkomsten door.\n\n"
                "## Besluiten\n1. Volgende keer weer op de tweede dinsdag.\n"
                f"2. {new_actions[0].owner.display_name} pakt: *{new_actions[0].title.lower()}*.\n"
            )
        )
        Comment.objects.bulk_create(
            [
                Comment(
                    gathering=g,
                    author=rng.choice(members),
                    body=rng.choice(COMMENTS),
                    created_at=start
                    + timedelta(days=rng.choice([-3, -1, 1, 2]), hours=rng.randint(0, 8)),
                )
                for _ in range(rng.randint(2, 4))
            ]
        )

    # --- Upcoming: the next two monthly gatherings and an open, nearly full Open Coffee ----
    y, m = today.year, today.month
    upcoming_days: list[date] = []
    while len(upcoming_days) < 2:
        day = _second_tuesday(y, m)
        if day >= today + timedelta(days=1):
            upcoming_days.append(day)
        m += 1
        if m == 13:
            y, m = y + 1, 1
    for j, day in enumerate(upcoming_days):
        theme = THEMES[(len(months) + j) % len(THEMES)]
        start = _at(day, 19, 30, tz)
        g = Gathering.objects.create(
            network=network,
            series=series,
            title=f"Maandbijeenkomst: {theme}",
            description=f"Onze maandelijkse bijeenkomst. Thema: **{theme}**.",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue_name=VENUES[0][0],
            venue_address=VENUES[0][1],
            capacity=room,
            created_by=host,
            online_url="https://meet.jit.si/netwerk-anno-nu",
            agenda_status=AgendaStatus.PUBLISHED if j == 0 else AgendaStatus.DRAFT,
            agenda_published_at=ctx.now - timedelta(days=2) if j == 0 else None,
        )
        if j == 0:
            save_cover(g, render_cover(generated_cover(3, DEMO_COVER_COLOURS[2])))
        for pos, (title, minutes, desc) in enumerate(AGENDA, start=1):
            AgendaItem.objects.create(
                gathering=g,
                position=pos,
                title=title.format(theme=theme.lower()),
                duration_minutes=minutes,
                description=desc,
                owner=host if pos == 1 else None,
            )
        if j == 0:
            going = [u for u in members if rng.random() < 0.6]
            if ctx.member in going:
                going.remove(ctx.member)  # the demo member still has to answer
            Rsvp.objects.bulk_create(
                [
                    Rsvp(
                        gathering=g,
                        user=u,
                        status=RsvpStatus.GOING,
                        answered_at=ctx.now - timedelta(days=rng.randint(1, 5)),
                    )
                    for u in going
                ]
            )
            Gathering.objects.filter(pk=g.pk).update(seats_taken=len(going))
            AgendaRead.objects.bulk_create(
                [
                    AgendaRead(
                        gathering=g, user=u, read_at=ctx.now - timedelta(hours=rng.randint(1, 40))
                    )
                    for u in going
                    if rng.random() < 0.5
                ]
            )
            ByoItem.objects.bulk_create(
                [
                    ByoItem(gathering=g, label="Beamer", claimed_by=host, claimed_at=ctx.now),
                    ByoItem(gathering=g, label="Koffie en thee"),
                    ByoItem(gathering=g, label="Iets lekkers"),
                ]
            )
            Comment.objects.create(
                gathering=g,
                author=host,
                body="De agenda staat klaar. Lees je hem even vooraf?",
                created_at=ctx.now - timedelta(days=2),
            )
    coffee_day = today + timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday
    start = _at(coffee_day, 8, 30, tz)
    coffee = Gathering.objects.create(
        network=network,
        title="Open Coffee Utrecht",
        description="Iedereen is welkom: starters, ondernemers en nieuwsgierigen. "
        "Koffie, korte pitches en goede gesprekken.",
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
        venue_name=VENUES[2][0],
        venue_address=VENUES[2][1],
        capacity=12,
        open_to_guests=True,
        created_by=host,
        agenda_status=AgendaStatus.PUBLISHED,
        agenda_published_at=ctx.now - timedelta(days=1),
    )
    save_cover(coffee, render_cover(generated_cover(2, DEMO_COVER_COLOURS[1])))
    AgendaItem.objects.create(
        gathering=coffee, position=1, title="Koffie en kennismaken", duration_minutes=30, owner=host
    )
    AgendaItem.objects.create(
        gathering=coffee, position=2, title="Pitches van één minuut", duration_minutes=45
    )
    others = [u for u in members if u != ctx.member]
    Rsvp.objects.bulk_create(
        [
            Rsvp(
                gathering=coffee,
                user=u,
                status=RsvpStatus.GOING,
                answered_at=ctx.now - timedelta(hours=k + 1),
            )
            for k, u in enumerate(others[:9])
        ]
        + [
            Rsvp(
                gathering=coffee,
                guest_name=name,
                guest_email=email,
                status=RsvpStatus.GOING,
                answered_at=ctx.now - timedelta(hours=20),
            )
            for name, email in [
                ("Sanne de Wit", "sanne.dewit@example.net"),
                ("Yusuf Kaya", "yusuf.kaya@example.net"),
            ]
        ]
    )
    Gathering.objects.filter(pk=coffee.pk).update(seats_taken=11)  # one place left
    seed_outside(ctx)


def seed_outside(ctx: Any) -> None:
    """Issue 13's edge of the circle: returning guests of the past monthly gatherings (with
    and without consent), a walk-in, a hybrid next gathering and the Open Coffee's guest
    contribution. Idempotent: stops when the walk-in is there."""
    network = ctx.network
    if Rsvp.objects.filter(gathering__network=network, walk_in=True).exists():
        return
    past = list(
        Gathering.objects.filter(network=network, ends_at__lt=ctx.now).order_by("starts_at")
    )
    guests = [
        ("Sanne de Wit", "sanne.dewit@example.net", True),
        ("Yusuf Kaya", "yusuf.kaya@example.net", True),
        ("Lotte Bakker", "lotte.bakker@example.net", False),
        ("Daan Visser", "daan.visser@example.net", True),
    ]
    # Sanne came three times, Yusuf twice, Lotte and Daan once: "who came back".
    visits = {"sanne.dewit@example.net": 3, "yusuf.kaya@example.net": 2}
    for name, email, consent in guests:
        for g in past[-visits.get(email, 1) :]:
            Rsvp.objects.create(
                gathering=g,
                guest_name=name,
                guest_email=email,
                guest_consent_at=g.starts_at - timedelta(days=3) if consent else None,
                status=RsvpStatus.GOING,
                answered_at=g.starts_at - timedelta(days=3),
                checked_in_at=g.starts_at + timedelta(minutes=5),
                checked_in_by=ctx.host,
            )
            Gathering.objects.filter(pk=g.pk).update(seats_taken=F("seats_taken") + 1)
    if past:
        last = past[-1]
        Rsvp.objects.create(
            gathering=last,
            guest_name="Fatima El Amrani",
            walk_in=True,
            status=RsvpStatus.GOING,
            answered_at=last.starts_at + timedelta(minutes=10),
            checked_in_at=last.starts_at + timedelta(minutes=10),
            checked_in_by=ctx.host,
        )
        Gathering.objects.filter(pk=last.pk).update(
            seats_taken=F("seats_taken") + 1, follow_up_guests=True
        )
    # The next monthly gatherings are hybrid; the Open Coffee asks guests €2.50 at the door.
    Gathering.objects.filter(network=network, ends_at__gte=ctx.now).exclude(online_url="").update(
        mode=GatheringMode.HYBRID
    )
    Gathering.objects.filter(network=network, open_to_guests=True, ends_at__gte=ctx.now).update(
        guest_contribution_cents=250, contribution_method=ContributionMethod.DOOR
    )
    Rsvp.objects.filter(
        gathering__network=network, guest_email__in=[e for _n, e, c in guests if c]
    ).exclude(guest_consent_at__isnull=False).update(guest_consent_at=ctx.now - timedelta(days=1))
