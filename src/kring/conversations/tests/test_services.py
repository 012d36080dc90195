from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from kring.conversations import selectors, services
from kring.conversations.models import Conversation, Message, Report
from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound
from kring.introductions import services as introductions

pytestmark = pytest.mark.django_db


def test_start_and_reply(talk: Conversation, member: Any, peer: Any, network: Any) -> None:
    assert selectors.unread_count(member) == 1
    services.post_message(actor=member, conversation=talk, body="Graag! Donderdag?")
    assert selectors.unread_count(member) == 0  # writing means having read
    assert selectors.unread_count(peer) == 1
    # Writing again from the profile continues the same conversation.
    again, _m = services.start_conversation(
        actor=peer, network=network, other_id=member.pk, body="Donderdag 10 uur?"
    )
    assert again.pk == talk.pk
    assert talk.messages.count() == 3


@pytest.mark.parametrize(
    ("body", "error"),
    [("", DomainError), ("   \n ", DomainError), ("x" * 5000, DomainError)],
)
def test_empty_and_long_messages_are_refused(
    talk: Conversation, member: Any, body: str, error: type
) -> None:
    with pytest.raises(error) as exc:
        services.post_message(actor=member, conversation=talk, body=body)
    assert exc.value.field == "body"
    assert talk.messages.count() == 1


def test_html_is_kept_as_text(talk: Conversation, member: Any) -> None:
    m = services.post_message(actor=member, conversation=talk, body="<script>x</script> <b>hi</b>")
    assert m.body == "<script>x</script> <b>hi</b>"  # stored as typed, shown escaped


def test_not_to_oneself_or_a_stranger(
    network: Any, member: Any, outsider: Any, other_member: Any
) -> None:
    with pytest.raises(DomainError):
        services.start_conversation(actor=member, network=network, other_id=member.pk, body="Hi")
    for stranger in (outsider, other_member):
        with pytest.raises(NotFound):
            services.start_conversation(
                actor=member, network=network, other_id=stranger.pk, body="Hi"
            )
    with pytest.raises(NotFound):
        services.start_conversation(actor=outsider, network=network, other_id=member.pk, body="x")
    assert not Conversation.objects.exists()


def test_only_participants_write(talk: Conversation, host: Any, third: Any) -> None:
    for someone in (host, third):
        with pytest.raises(NotFound):
            services.post_message(actor=someone, conversation=talk, body="Hallo")


def test_block_ends_messages_both_ways_and_introductions(
    talk: Conversation, member: Any, peer: Any, network: Any
) -> None:
    services.block_other(actor=member, conversation=talk)
    for actor in (member, peer):
        with pytest.raises(NotAllowed) as exc:
            services.post_message(actor=actor, conversation=talk, body="Nog iets")
        assert str(exc.value) == str(services.NOT_POSSIBLE)  # nobody is told who blocked
    with pytest.raises(NotAllowed):
        services.start_conversation(actor=peer, network=network, other_id=member.pk, body="Hoi")
    from kring.introductions.selectors import blocked_pairs

    assert frozenset((member.pk, peer.pk)) in blocked_pairs(network)
    introductions.unblock_person(actor=member, network=network, other_id=peer.pk)
    services.post_message(actor=peer, conversation=talk, body="Weer mogelijk")


def test_edit_within_ten_minutes_only(talk: Conversation, peer: Any, member: Any) -> None:
    m = talk.messages.get()
    with pytest.raises(NotAllowed):
        services.edit_message(actor=member, message=m, body="Niet van mij")
    services.edit_message(actor=peer, message=m, body="Hoi Mila, thee?")
    m.refresh_from_db()
    assert m.body == "Hoi Mila, thee?" and m.edited_at is not None
    with time_machine.travel(m.created_at + timedelta(minutes=11)), pytest.raises(Conflict):
        services.edit_message(actor=peer, message=m, body="Te laat")


def test_withdraw_hides_text_but_keeps_a_report(
    talk: Conversation, peer: Any, member: Any, host: Any
) -> None:
    m = talk.messages.get()
    report = services.report_message(actor=member, message=m, reason="Opdringerig")
    services.withdraw_message(actor=peer, message=m)
    m.refresh_from_db()
    assert m.withdrawn
    assert Message.objects.filter(pk=m.pk).exists()  # never deleted
    report.refresh_from_db()
    assert report.body_snapshot == "Hoi Mila, koffie?"
    with pytest.raises(Conflict):
        services.edit_message(actor=peer, message=m, body="Toch")


def test_report_rules(talk: Conversation, peer: Any, member: Any, host: Any) -> None:
    m = talk.messages.get()
    with pytest.raises(DomainError):
        services.report_message(actor=peer, message=m, reason="Eigen bericht")
    with pytest.raises(DomainError):
        services.report_message(actor=member, message=m, reason="  ")
    with pytest.raises(NotFound):
        services.report_message(actor=host, message=m, reason="Ik ben host")
    services.report_message(actor=member, message=m, reason="Spam")
    with pytest.raises(Conflict):
        services.report_message(actor=member, message=m, reason="Nog eens")
    report = Report.objects.get()
    with pytest.raises(NotAllowed):
        services.handle_report(actor=member, report=report)
    services.handle_report(actor=host, report=report)
    assert selectors.open_report_count(report.network) == 0


def test_flooding_conversations_per_day(network: Any, member: Any) -> None:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    people = [UserFactory() for _ in range(services.MAX_NEW_CONVERSATIONS_PER_DAY + 1)]
    for p in people:
        MembershipFactory(network=network, user=p)
    for p in people[:-1]:
        services.start_conversation(actor=member, network=network, other_id=p.pk, body="Hoi")
    with pytest.raises(services.TooMany) as exc:
        services.start_conversation(
            actor=member, network=network, other_id=people[-1].pk, body="Hoi"
        )
    assert exc.value.status == 429
    # Continuing an existing conversation is fine.
    services.start_conversation(actor=member, network=network, other_id=people[0].pk, body="En?")
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        services.start_conversation(
            actor=member, network=network, other_id=people[-1].pk, body="Hoi"
        )


def test_flooding_messages_per_hour(talk: Conversation, member: Any) -> None:
    Message.objects.bulk_create(
        Message(conversation=talk, sender=member, body="x", created_at=timezone.now())
        for _ in range(services.MAX_MESSAGES_PER_HOUR)
    )
    with pytest.raises(services.TooMany) as exc:
        services.post_message(actor=member, conversation=talk, body="Nog een")
    assert "60" in str(exc.value)


def test_leaving_the_network_ends_writing(talk: Conversation, member: Any, peer: Any) -> None:
    from kring.networks.models import Membership, MembershipStatus

    Membership.objects.filter(user=member).update(status=MembershipStatus.LEFT)
    with pytest.raises(NotAllowed):
        services.post_message(actor=peer, conversation=talk, body="Hallo?")


def test_mute_hides_the_badge(talk: Conversation, member: Any) -> None:
    assert selectors.unread_count(member) == 1
    services.set_muted(actor=member, conversation=talk, muted=True)
    assert selectors.unread_count(member) == 0
    assert selectors.conversations_for(member)[0]["unread"] == 1
