"""Use-cases for introductions: start, adjust and publish rounds; respond; opt out; block."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.conversations import services as conversations
from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotFound
from kring.core.tasks import enqueue_on_commit
from kring.gatherings.models import Gathering
from kring.gatherings.selectors import gathering_for, going_guest_ids, going_user_ids
from kring.networks.access import require_host, require_member
from kring.networks.models import ENDED_STATUSES, Membership, Network
from kring.people.models import User

from . import matching, selectors, tasks
from .models import (
    Block,
    Cadence,
    Introduction,
    IntroductionSettings,
    KnewAlready,
    MemberPreference,
    Outcome,
    Participant,
    Round,
    RoundKind,
    RoundStatus,
)

MAX_TABLE_SIZE = 12
MAX_ROTATIONS = 8


def _gathering(network: Network, gathering_id: int) -> Gathering:
    gathering = gathering_for(network, gathering_id)
    if gathering is None:
        raise DomainError(_("No such gathering in this network."), field="gathering_id")
    return gathering


def _gathering_members(network: Network, gathering: Gathering) -> list[int]:
    active = set(selectors.active_member_ids(network))
    return sorted(u for u in going_user_ids(gathering) if u in active)


@transaction.atomic
def start_round(
    *,
    actor: User | None,
    network: Network,
    kind: str = RoundKind.PAIRS,
    gathering_id: int | None = None,
    table_size: int | None = None,
    rotations: int | None = None,
    seed: int | None = None,
    period: str = "",
    now: datetime | None = None,
) -> Round:
    """Compute a round as a preview (draft). ``actor=None`` is the scheduler."""
    if actor is not None:
        require_host(actor, network)
    now = now or timezone.now()
    seed = int(now.timestamp()) % 1_000_000 if seed is None else seed
    if kind == RoundKind.PAIRS:
        return _start_pairs(actor=actor, network=network, seed=seed, period=period, now=now)
    if kind == RoundKind.TABLES:
        if not gathering_id:
            raise DomainError(_("Choose a gathering."), field="gathering_id")
        if not table_size or not 2 <= table_size <= MAX_TABLE_SIZE:
            raise DomainError(
                _("Tables seat between %(min)s and %(max)s people."),
                field="table_size",
                min=2,
                max=MAX_TABLE_SIZE,
            )
        if not rotations or not 1 <= rotations <= MAX_ROTATIONS:
            raise DomainError(
                _("Choose between %(min)s and %(max)s rotations."),
                field="rotations",
                min=1,
                max=MAX_ROTATIONS,
            )
        return _start_tables(
            actor=actor,
            network=network,
            gathering_id=gathering_id,
            table_size=table_size,
            rotations=rotations,
            seed=seed,
            now=now,
        )
    raise DomainError(_("Unknown kind of round."), field="kind")


def _start_pairs(
    *, actor: User | None, network: Network, seed: int, period: str, now: datetime
) -> Round:
    ids = selectors.eligible_member_ids(network)
    if len(ids) < 2:
        raise DomainError(_("At least two members are needed for a round of introductions."))
    profiles = selectors.engine_profiles(ids)
    result = matching.pair_round(
        profiles,
        met=selectors.met_pairs(network),
        blocked=selectors.blocked_pairs(network),
        last_met=selectors.last_met_order(network),
        seed=seed,
    )
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                network=network,
                kind=RoundKind.PAIRS,
                seed=seed,
                total=result.total,
                upper_bound=result.upper_bound,
                period=period,
                created_by=actor,
                created_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(_("There is already a round for this period.")) from exc
    for index, group in enumerate(result.groups):
        intro = Introduction.objects.create(
            round=round_, table=index, score=group.score, details=group.details
        )
        Participant.objects.bulk_create(
            Participant(introduction=intro, user_id=uid, round=round_) for uid in group.members
        )
    audit.record(
        verb="introductions.round_started",
        actor=actor,
        network=network,
        obj=round_,
        groups=len(result.groups),
        total=result.total,
        upper_bound=result.upper_bound,
    )
    return round_


def _start_tables(
    *,
    actor: User | None,
    network: Network,
    gathering_id: int,
    table_size: int,
    rotations: int,
    seed: int,
    now: datetime,
) -> Round:
    gathering = _gathering(network, gathering_id)
    ids = _gathering_members(network, gathering)
    guests = going_guest_ids(gathering)  # guests and walk-ins, seated by name
    if len(ids) + len(guests) < 2:
        raise DomainError(
            _("At least two people need to be going to make a table plan."), field="gathering_id"
        )
    profiles = selectors.engine_profiles(ids)
    met = selectors.met_pairs(network)
    plan = matching.seat_tables(
        ids, table_size, rotations, guests=guests, met=met, profiles=profiles, seed=seed
    )
    round_ = Round.objects.create(
        network=network,
        kind=RoundKind.TABLES,
        gathering_id=gathering_id,
        table_size=table_size,
        rotations=rotations,
        seed=seed,
        created_by=actor,
        created_at=now,
    )
    total = 0.0
    for r, tables in enumerate(plan):
        for t, members in enumerate(tables):
            value, details = matching.group_details(members, profiles)
            total += value
            intro = Introduction.objects.create(
                round=round_, rotation=r, table=t, score=value, details=details
            )
            Participant.objects.bulk_create(_seat(intro, key) for key in members)
    round_.total = total
    round_.upper_bound = total  # table plans are not certified against a bound
    round_.save(update_fields=["total", "upper_bound"])
    audit.record(
        verb="introductions.tables_planned",
        actor=actor,
        network=network,
        obj=round_,
        gathering_id=gathering_id,
        people=len(ids) + len(guests),
        guests=len(guests),
        rotations=rotations,
    )
    return round_


def _seat(intro: Introduction, key: matching.Seat) -> Participant:
    seat = Participant(introduction=intro, round_id=intro.round_id, rotation=intro.rotation)
    if isinstance(key, matching.GuestKey):
        seat.guest_id = key.rsvp_id
    else:
        seat.user_id = key
    return seat


@transaction.atomic
def seat_late_arrival(
    *,
    actor: User,
    round_: Round,
    guest_id: int | None = None,
    user_id: int | None = None,
    table: int | None = None,
) -> Round:
    """Seat someone who is coming but not in the table plan (a walk-in added at the door
    after the plan was made, a late guest or member) in every rotation: at ``table``
    (0-based), or else at the smallest table of each rotation (among equals, the one with
    the fewest guests, so guests stay spread). Works on a preview and on a published plan."""
    require_host(actor, round_.network)
    round_ = Round.objects.select_for_update().select_related("network").get(pk=round_.pk)
    if round_.kind != RoundKind.TABLES or round_.gathering_id is None:
        raise DomainError(_("Only a table plan seats people at tables."))
    key: matching.Seat
    if guest_id is not None and user_id is None:
        key = matching.GuestKey(guest_id)
    elif user_id is not None and guest_id is None:
        key = user_id
    else:
        raise DomainError(_("Choose one person to seat."), field="person")
    gathering = _gathering(round_.network, round_.gathering_id)
    if guest_id is not None and guest_id not in going_guest_ids(gathering):
        raise DomainError(
            _("Only guests and walk-ins coming to this gathering can be seated."), field="person"
        )
    if user_id is not None and user_id not in _gathering_members(round_.network, gathering):
        raise DomainError(_("Only members going to this gathering can be seated."), field="person")
    seated = Participant.objects.filter(round=round_)
    if isinstance(key, matching.GuestKey):
        already = seated.filter(guest_id=key.rsvp_id)
    else:
        already = seated.filter(user_id=key)
    if already.exists():
        raise Conflict(_("This person already has a seat in this plan."), field="person")
    tables = list(round_.introductions.order_by("rotation", "table"))
    per_rotation = max((t.table for t in tables), default=-1) + 1
    if table is not None and not 0 <= table < per_rotation:
        raise DomainError(_("Choose a table from 1 to %(max)s."), field="table", max=per_rotation)
    sizes: dict[int, tuple[int, int]] = {}
    for intro_id, is_guest in seated.values_list("introduction_id", "guest_id"):
        people, guests = sizes.get(intro_id, (0, 0))
        sizes[intro_id] = (people + 1, guests + (is_guest is not None))
    chosen: list[Introduction] = []
    for rotation in sorted({t.rotation for t in tables}):
        options = [t for t in tables if t.rotation == rotation]
        if table is not None:
            chosen.append(next(t for t in options if t.table == table))
        else:  # the smallest table; among equals the one with the fewest guests
            chosen.append(min(options, key=lambda t: (*sizes.get(t.pk, (0, 0)), t.table)))
    Participant.objects.bulk_create(_seat(intro, key) for intro in chosen)
    if user_id is not None:  # a member changes the table's score and reasons
        for intro in chosen:
            members = _members(intro.pk)
            value, details = matching.group_details(members, selectors.engine_profiles(members))
            Introduction.objects.filter(pk=intro.pk).update(score=value, details=details)
        round_.total = round_.upper_bound = sum(
            round_.introductions.values_list("score", flat=True)
        )
        round_.save(update_fields=["total", "upper_bound"])
    audit.record(
        verb="introductions.late_arrival_seated",
        actor=actor,
        network=round_.network,
        obj=round_,
        guest=guest_id is not None,
        tables=[intro.table for intro in chosen],
    )
    return round_


def _draft(round_: Round) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise Conflict(_("This round is already published and can no longer change."))


@transaction.atomic
def swap_people(*, actor: User, round_: Round, user_a: int, user_b: int) -> Round:
    """Swap two people between groups of a draft pairs round (the host's adjustment)."""
    require_host(actor, round_.network)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _draft(round_)
    if round_.kind != RoundKind.PAIRS:
        raise DomainError(_("Only rounds of 1:1 introductions can be adjusted."))
    if user_a == user_b:
        raise DomainError(_("Choose two different people."), field="user_b")
    pa = Participant.objects.filter(round=round_, user_id=user_a).first()
    pb = Participant.objects.filter(round=round_, user_id=user_b).first()
    if pa is None or pb is None:
        raise DomainError(_("Both people must be in this round."), field="user_a")
    if pa.introduction_id == pb.introduction_id:
        raise DomainError(_("These two are already in the same introduction."), field="user_b")
    groups = {
        pa.introduction_id: [u for u in _members(pa.introduction_id) if u != user_a] + [user_b],
        pb.introduction_id: [u for u in _members(pb.introduction_id) if u != user_b] + [user_a],
    }
    blocked = selectors.blocked_pairs(round_.network)
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if frozenset((a, b)) in blocked:
                    # Silent: the host is not told who blocked whom.
                    raise DomainError(
                        _("This swap is not possible. Try another one."), field="user_b"
                    )
    pa.introduction_id, pb.introduction_id = pb.introduction_id, pa.introduction_id
    Participant.objects.bulk_update([pa, pb], ["introduction"])
    profiles = selectors.engine_profiles([u for m in groups.values() for u in m])
    for intro_id, members in groups.items():
        value, details = matching.group_details(members, profiles)
        Introduction.objects.filter(pk=intro_id).update(score=value, details=details)
    round_.total = sum(round_.introductions.values_list("score", flat=True))
    round_.save(update_fields=["total"])
    audit.record(
        verb="introductions.swapped",
        actor=actor,
        network=round_.network,
        obj=round_,
        users=[user_a, user_b],
    )
    return round_


def _members(intro_id: int) -> list[int]:
    return list(
        Participant.objects.filter(introduction_id=intro_id, user__isnull=False)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def publish_round(*, actor: User | None, round_: Round, now: datetime | None = None) -> Round:
    if actor is not None:
        require_host(actor, round_.network)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _draft(round_)
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = now or timezone.now()
    round_.save(update_fields=["status", "published_at"])
    if round_.kind == RoundKind.PAIRS:
        # Whoever opted out of this round is back in for the next one.
        in_round = Participant.objects.filter(round=round_).values("user_id")
        MemberPreference.objects.filter(network=round_.network, skip_next=True).exclude(
            user_id__in=in_round
        ).update(skip_next=False)
        # Every introduction gets its conversation, so the two can write to each other.
        for intro in round_.introductions.all():
            conversations.open_for_introduction(introduction=intro, now=round_.published_at)
        enqueue_on_commit(tasks.send_introduction_mails, round_.pk)
    audit.record(
        verb="introductions.round_published", actor=actor, network=round_.network, obj=round_
    )
    return round_


@transaction.atomic
def discard_round(*, actor: User, round_: Round) -> None:
    require_host(actor, round_.network)
    _draft(round_)
    audit.record(
        verb="introductions.round_discarded", actor=actor, network=round_.network, obj=round_
    )
    round_.delete()


def _my_participation(actor: User, introduction: Introduction) -> Participant:
    p = Participant.objects.filter(
        introduction=introduction, user=actor, round__status=RoundStatus.PUBLISHED
    ).first()
    if p is None:
        raise NotFound(_("No such introduction."))
    return p


@transaction.atomic
def propose_meeting(
    *, actor: User, introduction: Introduction, when: str, where: str
) -> Introduction:
    _my_participation(actor, introduction)
    when, where = when.strip(), where.strip()
    if not when:
        raise DomainError(_("Propose a time."), field="when")
    if len(when) > 120 or len(where) > 200:
        raise DomainError(_("Please keep the time and place short."), field="where")
    introduction.proposed_when, introduction.proposed_where = when, where
    introduction.proposed_by = actor
    introduction.save(update_fields=["proposed_when", "proposed_where", "proposed_by"])
    audit.record(
        verb="introductions.meeting_proposed",
        actor=actor,
        network=introduction.round.network,
        obj=introduction,
    )
    # The proposal is a structured message in the introduction's conversation (mailed to the
    # other side like any message).
    conversations.propose_time(actor=actor, introduction=introduction, when=when, where=where)
    return introduction


@transaction.atomic
def record_outcome(
    *,
    actor: User,
    introduction: Introduction,
    outcome: str,
    note: str = "",
    now: datetime | None = None,
) -> Participant:
    """Mark an introduction met or skipped (or back to not yet), with a private note."""
    if outcome not in Outcome.values:
        raise DomainError(_("Choose met or skipped."), field="outcome")
    if len(note) > 2000:
        raise DomainError(_("The note can be at most %(max)s characters."), field="note", max=2000)
    p = _my_participation(actor, introduction)
    p.outcome, p.note = outcome, note.strip()
    p.responded_at = now or timezone.now()
    p.save(update_fields=["outcome", "note", "responded_at"])
    audit.record(
        verb=f"introductions.{outcome}",
        actor=actor,
        network=introduction.round.network,
        obj=introduction,
    )
    return p


@transaction.atomic
def set_preference(
    *, actor: User, network: Network, skip_next: bool, paused: bool
) -> MemberPreference:
    require_member(actor, network)
    pref, _created = MemberPreference.objects.update_or_create(
        network=network, user=actor, defaults={"skip_next": skip_next, "paused": paused}
    )
    audit.record(
        verb="introductions.preference",
        actor=actor,
        network=network,
        obj=pref,
        skip_next=skip_next,
        paused=paused,
    )
    return pref


@transaction.atomic
def block_person(*, actor: User, network: Network, other_id: int) -> Block:
    require_member(actor, network)
    if other_id == actor.pk:
        raise DomainError(_("You cannot block yourself."), field="user")
    if not Membership.objects.filter(network=network, user_id=other_id).exists():
        raise DomainError(_("No such member."), field="user")
    block, _created = Block.objects.get_or_create(
        network=network, blocker=actor, blocked_id=other_id
    )
    # Not in the audit's data: only that a block exists, not whom.
    audit.record(verb="introductions.blocked", actor=actor, network=network)
    return block


@transaction.atomic
def unblock_person(*, actor: User, network: Network, other_id: int) -> None:
    require_member(actor, network)
    Block.objects.filter(network=network, blocker=actor, blocked_id=other_id).delete()
    audit.record(verb="introductions.unblocked", actor=actor, network=network)


@transaction.atomic
def report_knew_already(*, actor: User, network: Network, other_id: int) -> KnewAlready:
    require_member(actor, network)
    if other_id == actor.pk:
        raise DomainError(_("Choose someone else."), field="user")
    if (
        not Membership.objects.filter(network=network, user_id=other_id)
        .exclude(status__in=ENDED_STATUSES)
        .exists()
    ):
        raise DomainError(_("No such member."), field="user")
    a, b = sorted((actor.pk, other_id))
    knew, _created = KnewAlready.objects.get_or_create(
        network=network, user_a_id=a, user_b_id=b, defaults={"reported_by": actor}
    )
    audit.record(verb="introductions.knew_already", actor=actor, network=network, obj=knew)
    return knew


@transaction.atomic
def update_settings(
    *, actor: User, network: Network, cadence: str, publish_automatically: bool
) -> IntroductionSettings:
    require_host(actor, network)
    if cadence not in Cadence.values:
        raise DomainError(_("Unknown schedule."), field="cadence")
    obj, _created = IntroductionSettings.objects.update_or_create(
        network=network,
        defaults={"cadence": cadence, "publish_automatically": publish_automatically},
    )
    audit.record(
        verb="introductions.settings", actor=actor, network=network, obj=obj, cadence=cadence
    )
    return obj


def period_for(cadence: str, now: datetime, tz: Any) -> str:
    local = now.astimezone(tz)
    if cadence == Cadence.MONTHLY:
        return f"{local:%Y-%m}"
    if cadence == Cadence.BIWEEKLY:
        year, week, _day = local.isocalendar()
        return f"{year}-W{week - (week + 1) % 2:02d}"  # odd ISO weeks start a period
    return ""


def run_scheduled_round(*, network_id: int, now: datetime) -> int | None:
    """The scheduler's unit of work: one round per network per period (idempotent)."""
    settings_ = (
        IntroductionSettings.objects.select_related("network").filter(network_id=network_id).first()
    )
    if settings_ is None or settings_.cadence == Cadence.OFF:
        return None
    network = settings_.network
    period = period_for(settings_.cadence, now, network.tzinfo)
    if Round.objects.filter(network=network, period=period).exists():
        return None
    try:
        round_ = start_round(actor=None, network=network, period=period, now=now)
    except (Conflict, DomainError):
        return None
    if settings_.publish_automatically:
        publish_round(actor=None, round_=round_, now=now)
    return round_.pk
