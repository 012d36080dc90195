"""Every member page runs the same number of queries at 20 and at 200 members (issue 16, goal 2).

One network grows from 20 to 200 members; each new member has a profile with tags, answered
every gathering, shares in every expense (with a running balance), wrote a post, logged a
contribution and has a conversation with the viewer. The viewer (a member, not a host) opens
every member page at both sizes; the counts must be equal — a page whose count grows with the
network runs a query per row somewhere.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.conversations.models import Conversation, Message, Participant
from kring.gatherings.models import Gathering, Rsvp
from kring.knowledge.models import Post
from kring.ledger.models import Expense, ExpenseShare
from kring.ledger.totals import expense_deltas, move_balances
from kring.networks.models import Membership, Network, Role
from kring.people.models import Profile, ProfileTag, Tag, User
from kring.results.models import Contribution, Objective

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/n/{slug}/home/",
    "gathering": "/n/{slug}/gatherings/{gathering}/",
    "people": "/n/{slug}/people/",
    "profile": "/n/{slug}/people/{other}/",
    "results": "/n/{slug}/results/",
    "introductions": "/n/{slug}/introductions/",
    "knowledge": "/n/{slug}/knowledge/",
    "conversations": "/n/{slug}/conversations/",
    "costs": "/n/{slug}/ledger/",
}


def _grow(network: Network, start: int, stop: int, world: dict[str, Any]) -> None:
    """Members ``start`` .. ``stop - 1`` with everything a member leaves behind."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [User(email=f"m{i:04d}@grow.example", language="en") for i in range(start, stop)]
    )
    users = list(User.objects.filter(email__endswith="@grow.example").order_by("email"))[start:]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"Lid {u.email[:5]}", passion="Koken") for u in users]
    )
    tags = world["tags"]
    ProfileTag.objects.bulk_create(
        [
            ProfileTag(profile=p, tag=tags[(p.pk + k) % len(tags)], kind=kind)
            for p in Profile.objects.filter(user__in=users)
            for k, kind in enumerate(("passion", "talent"))
        ],
        ignore_conflicts=True,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                network=network,
                user=u,
                role=Role.HOST if start == 0 and i == 0 else Role.MEMBER,
                charter_accepted_at=now,
            )
            for i, u in enumerate(users)
        ]
    )
    Rsvp.objects.bulk_create(
        [
            Rsvp(
                gathering=g,
                user=u,
                status="going",
                answered_at=g.starts_at - timedelta(days=3),
                checked_in_at=g.starts_at if g.ends_at < now else None,
            )
            for g in world["gatherings"]
            for u in users
        ]
    )
    for g in world["gatherings"]:
        Gathering.objects.filter(pk=g.pk).update(seats_taken=Membership.objects.count())
    payer = users[0]
    expense = Expense.objects.create(
        network=network,
        payer=payer,
        amount_cents=100 * len(users),
        spent_on=date.today(),
        description="Zaalhuur",
        category="venue",
        split_method="equal",
        created_by=payer,
    )
    shares = {u.pk: 100 for u in users}
    ExpenseShare.objects.bulk_create(
        [ExpenseShare(expense=expense, user_id=uid, cents=c) for uid, c in shares.items()]
    )
    move_balances(network.pk, expense_deltas(payer.pk, expense.amount_cents, shares.items()))
    Post.objects.bulk_create(
        [
            Post(network=network, author=u, title=f"Les van {u.email[:5]}", body="Iets geleerd.")
            for u in users
        ]
    )
    Contribution.objects.bulk_create(
        [
            Contribution(
                network=network,
                objective=world["objective"],
                member=u,
                amount=Decimal(2),
                date=date.today(),
                created_by=u,
            )
            for u in users
        ]
    )
    if world.get("viewer") is not None:
        _conversations(network, world["viewer"], users)


def _conversations(network: Network, viewer: User, users: list[User]) -> None:
    now = timezone.now()
    others = [u for u in users if u != viewer]
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                network=network,
                user_a=min(viewer, u, key=lambda x: x.pk),
                user_b=max(viewer, u, key=lambda x: x.pk),
                started_by=u,
                created_at=now,
                last_message_at=now,
            )
            for u in others
        ]
    )
    conversations = list(
        Conversation.objects.filter(network=network, started_by__in=others).order_by("pk")
    )
    by_starter = {c.started_by_id: c for c in conversations}
    Participant.objects.bulk_create(
        [
            Participant(conversation=by_starter[u.pk], user=person)
            for u in others
            for person in (viewer, u)
        ]
    )
    Message.objects.bulk_create(
        [
            Message(conversation=by_starter[u.pk], sender=u, body="Hoi!", created_at=now)
            for u in others
        ]
    )


def _counts(client: Client, paths: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, path in paths.items():
        assert client.get(path).status_code == 200, name  # warm what a process keeps
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.mark.usefixtures("render_every_request")
def test_member_pages_run_as_many_queries_at_200_members_as_at_20() -> None:
    network = Network.objects.create(slug="grow", name="Groeiend netwerk", purpose="Groeien.")
    now = timezone.now()
    creator = User.objects.create(email="creator@grow.test")
    gatherings = [
        Gathering.objects.create(
            network=network,
            title=f"Avond {k}",
            starts_at=now + timedelta(days=d),
            ends_at=now + timedelta(days=d, hours=3),
            created_by=creator,
        )
        for k, d in enumerate((-60, -30, 10))
    ]
    objective = Objective.objects.create(
        network=network,
        title="Uren voor starters",
        unit="hours",
        target=Decimal(1000),
        period_start=date.today() - timedelta(days=200),
        period_end=date.today() + timedelta(days=200),
    )
    Tag.objects.bulk_create([Tag(name=f"tag{i}") for i in range(12)], ignore_conflicts=True)
    world: dict[str, Any] = {
        "gatherings": gatherings,
        "objective": objective,
        "tags": list(Tag.objects.filter(name__startswith="tag")),
    }
    _grow(network, 0, 20, world)
    members = list(Membership.objects.filter(network=network).order_by("pk"))
    viewer = members[5].user
    world["viewer"] = viewer
    _conversations(network, viewer, [m.user for m in members])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(viewer)
    paths = {
        name: p.format(slug=network.slug, gathering=gatherings[-1].pk, other=members[3].user_id)
        for name, p in PAGES.items()
    }
    small = _counts(client, paths)
    _grow(network, 20, 200, world)
    assert Membership.objects.filter(network=network).count() == 200
    big = _counts(client, paths)
    grew = {name: (small[name], big[name]) for name in PAGES if small[name] != big[name]}
    assert not grew, f"queries (20 members, 200 members) per page: {grew}"
