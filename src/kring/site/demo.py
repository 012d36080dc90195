"""The demo network: seeded idempotently and deterministically by ``kring demo``.

The foundation seeds people and two networks; each domain app adds its part through a
``seed(ctx)`` function in ``kring/<app>/demo.py``, called for every app marked ``demo`` in
``kring.app_registry.APPS``, in that order.
Every app's seed must be idempotent: check for its own data first and do nothing if present.
"""

from __future__ import annotations

import importlib
import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from kring.app_registry import APPS
from kring.core.covers import DEMO_COVER_COLOURS, generated_cover, render_cover, save_cover
from kring.networks.models import JoinPolicy, Membership, Network, NetworkKind, Role
from kring.people.demo_data import PEOPLE, SECOND_NETWORK_OWN, SECOND_NETWORK_SHARED
from kring.people.models import Profile, User, Visibility
from kring.people.services import set_profile_tags

DEMO_PASSWORD = "kring-demo"  # noqa: S105 - the documented demo password
DEMO_SLUG = "anno-nu"

CHARTER = """Wat we van elkaar verwachten:

- Je komt naar de meeste bijeenkomsten (minstens 8 van de 12 per jaar).
- Je leest de agenda vóór de bijeenkomst en komt voorbereid.
- Je besteedt een paar uur per maand aan ons doel: starters in Utrecht op weg helpen.
- Je zegt hardop wat je zoekt en wat je geeft — ook als dat klanten zijn.
- We delen alleen echte kosten, open en eerlijk. Geld is nooit een reden om weg te blijven.
"""


_HASH: list[str] = []


def _demo_password_hash() -> str:
    """Hash the demo password once (argon2 is slow on purpose) and reuse it."""
    if not _HASH:
        _HASH.append(make_password(DEMO_PASSWORD))
    return _HASH[0]


@dataclass
class DemoContext:
    network: Network
    second: Network
    people: dict[str, User]
    host: User
    member: User
    now: datetime
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    def members(self) -> list[User]:
        return [
            m.user
            for m in Membership.objects.filter(network=self.network)
            .select_related("user")
            .order_by("pk")
        ]


# A few demo people have a (generated) photo, so the directory shows both kinds of avatar.
DEMO_PHOTOS = {"host": "#2f6f6a", "member": "#b5523b", "anna": "#6b5b95", "bram": "#c58b2a"}


def _avatar(colour: str) -> bytes:
    """A plain 512 px JPEG: a coloured square with a lighter circle (no real faces in demos)."""
    image = Image.new("RGB", (512, 512), colour)
    ImageDraw.Draw(image).ellipse((96, 96, 416, 416), fill="#f4efe6")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _person(local: str, row: tuple[Any, ...], joined: datetime) -> User:
    name, _local, city, passion, passions, talents, offers, seeks, company, role = row
    email = f"{local}@example.org"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, date_joined=joined)
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        profile = Profile.objects.create(
            user=user,
            display_name=name,
            city=city,
            passion=passion,
            talents=", ".join(talents).capitalize(),
            offers=", ".join(offers).capitalize(),
            seeks=", ".join(seeks).capitalize(),
            company=company,
            role=role,
            languages="Nederlands, Engels",
            visibility=Visibility.PUBLIC
            if local in {"host", "member", "anna", "bram", "tim", "mila"}
            else Visibility.NETWORKS,
            story=f"{passion} Ik woon en werk in {city}.",
        )
        if local in DEMO_PHOTOS:
            profile.photo.save("photo.jpg", ContentFile(_avatar(DEMO_PHOTOS[local])), save=True)
        set_profile_tags(
            profile=profile,
            tags={
                "passion": passions,
                "talent": talents,
                "offer": offers,
                "seek": seeks,
            },
        )
    return user


@transaction.atomic
def seed_foundation(now: datetime | None = None) -> DemoContext:
    now = now or timezone.now()
    year_ago = now - timedelta(days=365)
    network = Network.objects.filter(slug=DEMO_SLUG).first()
    if network is None:
        network = Network.objects.create(
            slug=DEMO_SLUG,
            name="Netwerk anno nu",
            city="Utrecht",
            kind=NetworkKind.STARTERS,
            language="nl",
            purpose=(
                "Wij helpen starters in Utrecht op weg: met coaching, kennis en een netwerk "
                "dat deuren opent. Zo krijgt elke starter een eerlijke kans."
            ),
            for_whom="Startende ondernemers in Utrecht en omgeving, scholen en buurtinitiatieven.",
            offer_to_third_parties=(
                "Gratis coachgesprekken voor starters, workshops over "
                "ondernemen, en hulp bij je eerste klant."
            ),
            charter=CHARTER,
            join_policy=JoinPolicy.APPLY,
            public_page_enabled=True,
        )
        Network.objects.filter(pk=network.pk).update(created_at=year_ago)
        # A cover drawn here in the design's colours (no downloads), stored like an upload.
        save_cover(network, render_cover(generated_cover(1, DEMO_COVER_COLOURS[0])))
    second = Network.objects.filter(slug="zorg-amersfoort").first()
    if second is None:
        second = Network.objects.create(
            slug="zorg-amersfoort",
            name="Zorgtech Amersfoort",
            city="Amersfoort",
            kind=NetworkKind.BRANCH,
            language="nl",
            purpose="Wij helpen zorgorganisaties in de regio technologie slim in te zetten.",
            for_whom="Zorgorganisaties en wijkteams in Amersfoort en omgeving.",
            charter="- Je deelt wat je leert.\n- Je komt naar de kwartaalbijeenkomst.",
            join_policy=JoinPolicy.INVITE,
        )
    people: dict[str, User] = {}
    for i, row in enumerate(PEOPLE):
        local = row[1]
        joined = year_ago + timedelta(days=(i * 7) % 200)
        user = _person(local, row, joined)
        people[local] = user
        role = Role.HOST if local in {"host", "daan"} else Role.MEMBER
        Membership.objects.get_or_create(
            network=network,
            user=user,
            defaults={"role": role, "joined_at": joined, "charter_accepted_at": joined},
        )
    for local in SECOND_NETWORK_SHARED:
        Membership.objects.get_or_create(
            network=second,
            user=people[local],
            defaults={
                "role": Role.HOST if local == "emma" else Role.MEMBER,
                "charter_accepted_at": now - timedelta(days=90),
            },
        )
    for row in SECOND_NETWORK_OWN:
        user = _person(row[1], row, now - timedelta(days=120))
        people[row[1]] = user
        Membership.objects.get_or_create(
            network=second, user=user, defaults={"charter_accepted_at": now - timedelta(days=120)}
        )
    return DemoContext(
        network=network,
        second=second,
        people=people,
        host=people["host"],
        member=people["member"],
        now=now,
    )


def seed_all(now: datetime | None = None, *, log: Any = print) -> DemoContext:
    ctx = seed_foundation(now)
    log("  people and networks")
    for app in APPS:
        if not app.demo:
            continue
        module = importlib.import_module(f"{app.module}.demo")
        with transaction.atomic():
            module.seed(ctx)
        log(f"  {app.name}")
    return ctx
