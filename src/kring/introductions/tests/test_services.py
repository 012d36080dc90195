from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.core import mail

from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound
from kring.introductions import selectors, services
from kring.introductions.jobs import scheduled_rounds_tick
from kring.introductions.models import (
    Block,
    Cadence,
    Introduction,
    IntroductionSettings,
    Outcome,
    Participant,
    Round,
    RoundStatus,
)

pytestmark = pytest.mark.django_db


def _pairs(round_: Round) -> set[frozenset[int]]:
    out = set()
    for intro in round_.introductions.all():
        ids = sorted(intro.participants.values_list("user_id", flat=True))
        out |= {frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    return out


def test_round_pairs_everyone_once_with_reasons(crowd: dict[str, Any], network: Any) -> None:
    round_ = services.start_round(actor=crowd["host"], network=network, seed=3)
    assert round_.status == RoundStatus.DRAFT
    users = list(Participant.objects.filter(round=round_).values_list("user_id", flat=True))
    assert sorted(users) == sorted(u.pk for u in crowd.values())
    assert round_.introductions.count() == 3
    assert round_.upper_bound >= round_.total > 0
    # the complementary pair member/Bram is made, and its reasons are stored structured
    assert frozenset((crowd["member"].pk, crowd["bram"].pk)) in _pairs(round_)
    intro = Introduction.objects.get(round=round_, participants__user=crowd["member"])
    kinds = {d[0] for item in intro.details for d in item["details"]}
    assert {"offers", "shared_passions"} <= kinds
    assert len(mail.outbox) == 0  # nothing is sent for a preview


def test_only_hosts_start_rounds(crowd: dict[str, Any], network: Any) -> None:
    with pytest.raises(NotAllowed):
        services.start_round(actor=crowd["member"], network=network)


def test_publish_mails_everyone_and_locks(
    crowd: dict[str, Any], network: Any, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = services.start_round(actor=crowd["host"], network=network, seed=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_round(actor=crowd["host"], round_=round_)
    assert len(mail.outbox) == 6
    to_member = next(m for m in mail.outbox if m.to == [crowd["member"].email])
    assert "Bram" in to_member.body and "websites" in to_member.body
    with pytest.raises(Conflict):
        services.publish_round(actor=crowd["host"], round_=round_)
    with pytest.raises(Conflict):
        services.swap_people(
            actor=crowd["host"], round_=round_, user_a=crowd["anna"].pk, user_b=crowd["bram"].pk
        )


def test_swap_moves_people_and_rescored(crowd: dict[str, Any], network: Any) -> None:
    round_ = services.start_round(actor=crowd["host"], network=network, seed=3)
    member, bram = crowd["member"], crowd["bram"]
    other = (
        Participant.objects.filter(round=round_)
        .exclude(introduction__participants__user=member)
        .first()
    )
    services.swap_people(actor=crowd["host"], round_=round_, user_a=bram.pk, user_b=other.user_id)
    pairs = _pairs(round_)
    assert frozenset((member.pk, other.user_id)) in pairs
    assert frozenset((member.pk, bram.pk)) not in pairs
    round_.refresh_from_db()
    assert round_.total == pytest.approx(sum(i.score for i in round_.introductions.all()))
    with pytest.raises(DomainError):
        services.swap_people(actor=crowd["host"], round_=round_, user_a=bram.pk, user_b=bram.pk)


def test_swap_refuses_blocked_pair_silently(crowd: dict[str, Any], network: Any) -> None:
    round_ = services.start_round(actor=crowd["host"], network=network, seed=3)
    member, bram = crowd["member"], crowd["bram"]
    partner = (
        Participant.objects.filter(introduction__participants__user=member, round=round_)
        .exclude(user=member)
        .first()
        .user
    )
    third = (
        Participant.objects.filter(round=round_)
        .exclude(introduction__participants__user=member)
        .first()
    )
    Block.objects.create(
        network=network,
        blocker=crowd["carl"] if third.user_id != crowd["carl"].pk else crowd["dina"],
        blocked=member,
    )
    blocker = Block.objects.get().blocker
    if third.user_id != blocker.pk:
        third = Participant.objects.get(round=round_, user=blocker)
    with pytest.raises(DomainError) as exc:
        services.swap_people(
            actor=crowd["host"], round_=round_, user_a=partner.pk, user_b=third.user_id
        )
    assert blocker.display_name not in str(exc.value)
    assert bram  # the fixture person stays around


def test_blocked_pairs_are_never_made(crowd: dict[str, Any], network: Any) -> None:
    services.block_person(actor=crowd["member"], network=network, other_id=crowd["bram"].pk)
    for seed in range(5):
        round_ = services.start_round(actor=crowd["host"], network=network, seed=seed)
        assert frozenset((crowd["member"].pk, crowd["bram"].pk)) not in _pairs(round_)
        services.discard_round(actor=crowd["host"], round_=round_)
    with pytest.raises(DomainError):
        services.block_person(actor=crowd["member"], network=network, other_id=crowd["member"].pk)


def test_met_pairs_are_not_repeated(published: Round, crowd: dict[str, Any], network: Any) -> None:
    for intro in published.introductions.all():
        p = intro.participants.first()
        services.record_outcome(actor=p.user, introduction=intro, outcome=Outcome.MET)
    first = _pairs(published)
    second = services.start_round(actor=crowd["host"], network=network, seed=9)
    assert not (first & _pairs(second))


def test_opt_out_skips_one_round(crowd: dict[str, Any], network: Any) -> None:
    services.set_preference(actor=crowd["anna"], network=network, skip_next=True, paused=False)
    round_ = services.start_round(actor=crowd["host"], network=network, seed=1)
    assert not Participant.objects.filter(round=round_, user=crowd["anna"]).exists()
    services.publish_round(actor=crowd["host"], round_=round_)
    assert crowd["anna"].pk in selectors.eligible_member_ids(network)


def test_outcome_only_by_participants(
    published: Round, crowd: dict[str, Any], outsider: Any
) -> None:
    intro = Introduction.objects.get(round=published, participants__user=crowd["member"])
    with pytest.raises(NotFound):
        services.record_outcome(actor=outsider, introduction=intro, outcome=Outcome.MET)
    p = services.record_outcome(
        actor=crowd["member"], introduction=intro, outcome="met", note="Fijn gesprek"
    )
    assert p.outcome == Outcome.MET and p.note == "Fijn gesprek"
    with pytest.raises(DomainError):
        services.record_outcome(actor=crowd["member"], introduction=intro, outcome="bogus")


def test_publishing_opens_a_conversation_per_introduction(
    published: Round, crowd: dict[str, Any]
) -> None:
    from kring.conversations.models import Conversation

    for intro in published.introductions.all():
        ids = sorted(intro.participants.values_list("user_id", flat=True))
        pairs = len(ids) * (len(ids) - 1) // 2
        assert Conversation.objects.filter(introduction_id=intro.pk).count() == pairs


def test_propose_is_a_message_in_the_conversation(
    published: Round, crowd: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from kring.conversations.models import Message, MessageKind

    intro = Introduction.objects.get(round=published, participants__user=crowd["member"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_meeting(
            actor=crowd["member"], introduction=intro, when="Do 12:30", where="Café De Rode Draad"
        )
    proposals = Message.objects.filter(sender=crowd["member"], kind=MessageKind.PROPOSAL)
    assert proposals.count() == intro.participants.count() - 1
    assert {m.conversation.introduction_id for m in proposals} == {intro.pk}
    assert proposals[0].proposed_when == "Do 12:30"
    assert mail.outbox == []  # mailed later, bundled, only if still unread
    with pytest.raises(DomainError):
        services.propose_meeting(actor=crowd["member"], introduction=intro, when=" ", where="")


def test_coverage_counts_met_and_knew(
    published: Round, crowd: dict[str, Any], network: Any
) -> None:
    assert selectors.acquaintance_coverage(network) == {
        "pairs_met": 0,
        "pairs_total": 15,
        "coverage": 0.0,
    }
    intro = Introduction.objects.get(round=published, participants__user=crowd["member"])
    services.record_outcome(actor=crowd["member"], introduction=intro, outcome="met")
    services.report_knew_already(actor=crowd["carl"], network=network, other_id=crowd["dina"].pk)
    services.report_knew_already(actor=crowd["dina"], network=network, other_id=crowd["carl"].pk)
    cov = selectors.acquaintance_coverage(network)
    size = intro.participants.count()
    assert cov["pairs_met"] == size * (size - 1) // 2 + 1
    assert cov["coverage"] == pytest.approx(cov["pairs_met"] / 15)
    summary = selectors.acquaintance_summary(network)
    assert summary["rounds_to_everyone"] >= 1


def test_scheduled_rounds_once_per_month(crowd: dict[str, Any], network: Any) -> None:
    IntroductionSettings.objects.create(network=network, cadence=Cadence.MONTHLY)
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        assert scheduled_rounds_tick(now) == 1
        assert scheduled_rounds_tick(now) == 0  # idempotent
        assert services.run_scheduled_round(network_id=network.pk, now=now) is None
    assert (
        Round.objects.filter(
            network=network, period="2026-12", status=RoundStatus.PUBLISHED
        ).count()
        == 1
    )
    later = datetime(2027, 1, 2, 8, 0, tzinfo=UTC)
    assert scheduled_rounds_tick(later) == 1
    assert Round.objects.filter(network=network).count() == 2


def test_no_schedule_no_rounds(crowd: dict[str, Any], network: Any) -> None:
    IntroductionSettings.objects.create(network=network, cadence=Cadence.OFF)
    assert scheduled_rounds_tick(datetime(2026, 12, 1, tzinfo=UTC)) == 0
