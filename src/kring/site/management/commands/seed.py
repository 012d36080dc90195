"""``kring seed --networks 100 --members 200``: a realistic installation for load tests.

Creates networks with hosts and members (accounts, profiles with tags), a year of
gatherings with RSVPs and check-ins, and expenses split cent-exactly among those present,
all with ``bulk_create`` (20,000 members with a year of history in well under a minute on
SQLite). Idempotent per prefix: networks ``load-000`` … already there are skipped.
Every seeded account has the password ``kring-load-test`` (only for local benchmarks).
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from kring.core import pagecache
from kring.gatherings.models import Gathering, Rsvp
from kring.ledger.allocation import split_cents
from kring.ledger.models import Expense, ExpenseShare
from kring.ledger.totals import expense_deltas, move_balances
from kring.networks.models import Membership, Network, Role
from kring.people.models import Profile, ProfileTag, Tag, User

FIRST = [
    "Anna", "Bram", "Chloé", "Daan", "Emma", "Finn", "Ilse", "Jesse", "Lotte", "Milan",
    "Noor", "Sem", "Tess", "Yara", "Zoë", "Mohammed", "Fatima", "Ravi", "Lina", "Sven",
]  # fmt: skip
LAST = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "El Amrani", "Yılmaz",
]  # fmt: skip
CITIES = ["Utrecht", "Amsterdam", "Rotterdam", "Zwolle", "Groningen", "Eindhoven", "Leiden"]
TAGS = [
    "duurzaamheid", "webdesign", "koken", "coaching", "fotografie", "boekhouding", "zorg",
    "onderwijs", "fietsen", "muziek", "marketing", "ux", "energie", "wonen", "taal",
]  # fmt: skip
TITLES = ["Maandelijkse ontmoeting", "Werkavond", "Kennisdeling", "Buurtontbijt", "Terugblik"]
PASSWORD = "kring-load-test"  # noqa: S105 - local benchmark accounts only


class Command(BaseCommand):
    help = "Seed a large, realistic installation (for load and scale benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--networks", type=int, default=100)
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--gatherings", type=int, default=24, help="per network, one year")
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument("--prefix", default="load")

    def handle(self, *args: Any, **opts: Any) -> None:
        start = time.monotonic()
        rng = random.Random(opts["seed"])
        password = make_password(PASSWORD)
        totals: dict[str, int] = {}
        with pagecache.paused():  # one page-cache version change at the end, not one per row
            for n in range(opts["networks"]):
                slug = f"{opts['prefix']}-{n:03d}"
                with transaction.atomic():
                    counts = seed_network(
                        slug=slug, index=n, members=opts["members"],
                        gatherings=opts["gatherings"], rng=rng, password=password,
                    )  # fmt: skip
                for k, v in counts.items():
                    totals[k] = totals.get(k, 0) + v
        took = time.monotonic() - start
        summary = ", ".join(f"{v} {k}" for k, v in sorted(totals.items()))
        self.stdout.write(f"Seeded {summary or 'nothing (already there)'} in {took:.1f}s")


def seed_network(
    *, slug: str, index: int, members: int, gatherings: int, rng: random.Random, password: str
) -> dict[str, int]:
    if Network.objects.filter(slug=slug).exists():
        return {}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    city = CITIES[index % len(CITIES)]
    network = Network.objects.create(
        slug=slug, name=f"Kring {city} {index:03d}", city=city,
        purpose="Samen ondernemers in de buurt op weg helpen.", public_page_enabled=True,
    )  # fmt: skip
    users = [
        User(
            email=f"{slug}-{i:04d}@load.example",
            password=password,
            date_joined=now - timedelta(days=rng.randint(30, 400)),
        )
        for i in range(members)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(email__startswith=f"{slug}-").order_by("email"))
    # Verified addresses: e-mail verification is mandatory, and the load benchmark logs in.
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                city=city,
                passion="Mensen verbinden en samen iets bouwen.",
                talents="Luisteren, organiseren.",
            )
            for u in users
        ],
        batch_size=1000,
    )
    Tag.objects.bulk_create([Tag(name=t) for t in TAGS], ignore_conflicts=True)
    tags = list(Tag.objects.filter(name__in=TAGS))
    profiles = list(Profile.objects.filter(user__in=users))
    ProfileTag.objects.bulk_create(
        [
            ProfileTag(profile=p, tag=t, kind=kind)
            for p in profiles
            for kind in ("passion", "talent")
            for t in rng.sample(tags, 2)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                network=network,
                user=u,
                role=Role.HOST if i < 3 else Role.MEMBER,
                joined_at=u.date_joined,
                charter_accepted_at=u.date_joined,
            )
            for i, u in enumerate(users)
        ],
        batch_size=1000,
    )
    # A year of gatherings (two a month), the last few still to come.
    gs: list[Gathering] = []
    for k in range(gatherings):
        starts = now - timedelta(days=365) + timedelta(days=int(k * 365 / gatherings) + 30)
        starts = starts.replace(hour=18)
        capacity = rng.choice([30, 40, 60, None])
        gs.append(
            Gathering(
                network=network,
                title=f"{rng.choice(TITLES)} #{k + 1}",
                description="Ontmoeten, verbinden, vooruit.",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue_name="Buurthuis De Kring",
                capacity=capacity,
                created_by=users[0],
            )
        )
    Gathering.objects.bulk_create(gs)
    saved = list(Gathering.objects.filter(network=network).order_by("starts_at"))
    rsvps, expenses, present_by_gathering = [], [], {}
    for g in saved:
        cap = g.capacity or 45
        going = rng.sample(users, min(len(users), rng.randint(cap // 2, cap)))
        past = g.ends_at < now
        present = []
        for u in going:
            checked = past and rng.random() < 0.85
            rsvps.append(
                Rsvp(
                    gathering=g,
                    user=u,
                    status="going",
                    answered_at=g.starts_at - timedelta(days=5),
                    checked_in_at=g.starts_at if checked else None,
                )
            )
            if checked:
                present.append(u)
        g.seats_taken = len(going)
        present_by_gathering[g.pk] = present
        if past and present:
            payer = rng.choice(present)
            expenses.append(
                Expense(
                    network=network,
                    payer=payer,
                    amount_cents=rng.randint(2500, 25000),
                    spent_on=g.starts_at.date(),
                    description=f"Zaalhuur en koffie {g.title}",
                    category="venue",
                    split_method="checked_in",
                    gathering_id=g.pk,
                    created_by=payer,
                )
            )
    Rsvp.objects.bulk_create(rsvps, batch_size=2000)
    Gathering.objects.bulk_update(saved, ["seats_taken"], batch_size=500)
    Expense.objects.bulk_create(expenses, batch_size=500)
    expenses = list(Expense.objects.filter(network=network))
    shares: list[ExpenseShare] = []
    moved: dict[int, int] = {}
    for e in expenses:
        assert e.gathering_id is not None  # every seeded expense belongs to a gathering
        present = present_by_gathering[e.gathering_id]
        split = split_cents(e.amount_cents, {u.pk: 1 for u in present})
        shares.extend(ExpenseShare(expense=e, user_id=uid, cents=c) for uid, c in split.items())
        for uid, c in expense_deltas(e.payer_id, e.amount_cents, split.items()).items():
            moved[uid] = moved.get(uid, 0) + c
    ExpenseShare.objects.bulk_create(shares, batch_size=2000)
    move_balances(network.pk, moved)  # the running totals, as the services keep them
    return {
        "networks": 1, "members": len(users), "gatherings": len(gs), "rsvps": len(rsvps),
        "expenses": len(expenses), "shares": len(shares),
    }  # fmt: skip
