"""The inbox: signatures, Follow/Undo, replies, reactions, Join/Leave, Delete, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.federation import documents
from kring.federation.models import (
    Follower,
    FollowerStatus,
    Participation,
    Reaction,
    ReceivedActivity,
    RemoteReply,
    ReplyStatus,
)
from kring.federation.services import block, moderate_reply, set_federation
from kring.gatherings.models import Rsvp, RsvpStatus

INBOX = "/ap/n/testnet/inbox"
SHARED = "/ap/inbox"


def follow(remote: Any, network: Any) -> Any:
    return remote.post(INBOX, remote.activity("Follow", documents.actor_id(network)))


# --- Signatures ----------------------------------------------------------------------------


def test_unsigned_post_is_401(fed_network: Any, remote: Any) -> None:
    response = remote.post(INBOX, remote.activity("Follow", "x"), sign=False)
    assert response.status_code == 401
    assert not Follower.objects.exists()


def test_signed_with_another_key_is_401(fed_network: Any, remote: Any) -> None:
    from kring.federation.signatures import generate_key_pair

    other_private, _public = generate_key_pair()
    activity = remote.activity("Follow", documents.actor_id(fed_network))
    assert remote.post(INBOX, activity, key=other_private).status_code == 401
    assert not Follower.objects.exists()


def test_tampered_body_is_401(fed_network: Any, remote: Any, client: Any) -> None:
    from kring.federation.signatures import sign_request

    body = json.dumps(remote.activity("Follow", documents.actor_id(fed_network))).encode()
    headers = sign_request(
        method="POST",
        url=f"http://testserver{INBOX}",
        key_id=f"{remote.ap_id}#main-key",
        private_key_pem=remote.keys[0],
        body=body,
    )
    extra = {f"HTTP_{k.upper()}": v for k, v in headers.items() if k != "Host"}
    tampered = body.replace(b"Follow", b"Block")
    response = client.post(INBOX, data=tampered, content_type="application/json", **extra)
    assert response.status_code == 401
    assert "Digest" in response.json()["detail"]


def test_old_date_is_401(fed_network: Any, remote: Any) -> None:
    activity = remote.activity("Follow", documents.actor_id(fed_network))
    stale = datetime.now(UTC) - timedelta(minutes=6)
    response = remote.post(INBOX, activity, date=stale)
    assert response.status_code == 401
    assert "five minutes" in response.json()["detail"]


def test_signed_by_someone_else_than_the_actor_is_refused(fed_network: Any, remote: Any) -> None:
    activity = remote.activity("Follow", documents.actor_id(fed_network))
    activity["actor"] = "https://remote.example/users/bob"
    assert remote.post(INBOX, activity).status_code == 401
    assert not Follower.objects.exists()


def test_unknown_key_is_fetched_and_cached(fed_network: Any, client: Any, outgoing: Any) -> None:
    from kring.federation.tests.conftest import Remote

    bob = Remote(client=client, username="bob")
    outgoing.documents[bob.ap_id] = bob.document()
    response = follow(bob, fed_network)
    assert response.status_code == 202, response.content
    assert Follower.objects.get().actor.ap_id == bob.ap_id
    fetched = [s for s in outgoing.sent if s["method"] == "GET"]
    assert [s["url"] for s in fetched] == [bob.ap_id]
    assert follow(bob, fed_network).status_code == 202  # second time: from the cache
    assert len([s for s in outgoing.sent if s["method"] == "GET"]) == 1


# --- Follow --------------------------------------------------------------------------------


def test_follow_is_accepted_and_answered(fed_network: Any, remote: Any, outgoing: Any) -> None:
    assert follow(remote, fed_network).status_code == 202
    follower = Follower.objects.get()
    assert follower.status == FollowerStatus.ACCEPTED
    (accept,) = outgoing.activities("Accept")
    assert accept["object"]["type"] == "Follow"
    assert accept["object"]["id"] == follower.follow_id
    assert accept["actor"] == documents.actor_id(fed_network)
    post = next(s for s in outgoing.sent if s["method"] == "POST")
    assert post["url"] == f"{remote.ap_id}/inbox"
    assert 'headers="(request-target) host date digest"' in post["headers"]["Signature"]


def test_follow_is_held_when_hosts_approve(
    fed_network: Any, host: Any, remote: Any, outgoing: Any
) -> None:
    from kring.federation.services import approve_follower

    set_federation(actor=host, network=fed_network, enabled=True, approve_followers=True)
    follow(remote, fed_network)
    follower = Follower.objects.get()
    assert follower.status == FollowerStatus.PENDING
    assert outgoing.activities("Accept") == []
    approve_follower(actor=host, network=fed_network, follower_id=follower.pk)
    assert Follower.objects.get().status == FollowerStatus.ACCEPTED
    assert len(outgoing.activities("Accept")) == 1


def test_undo_follow(fed_network: Any, remote: Any) -> None:
    follow(remote, fed_network)
    follow_id = Follower.objects.get().follow_id
    undo = remote.activity("Undo", {"id": follow_id, "type": "Follow", "actor": remote.ap_id})
    assert remote.post(INBOX, undo).status_code == 202
    assert not Follower.objects.exists()


def test_replayed_activity_is_ignored(fed_network: Any, remote: Any, outgoing: Any) -> None:
    activity = remote.activity("Follow", documents.actor_id(fed_network))
    assert remote.post(INBOX, activity).status_code == 202
    again = remote.post(INBOX, activity)
    assert again.status_code == 202
    assert "already received" in again.json()["detail"]
    assert Follower.objects.count() == 1
    assert ReceivedActivity.objects.count() == 1
    assert len(outgoing.activities("Accept")) == 1


def test_follower_on_a_blocked_domain_is_ignored(
    fed_network: Any, host: Any, remote: Any, outgoing: Any
) -> None:
    block(actor=host, network=fed_network, kind="domain", value="remote.example")
    response = follow(remote, fed_network)
    assert response.status_code == 202
    assert "blocked" in response.json()["detail"]
    assert not Follower.objects.exists()
    assert outgoing.activities() == []


def test_operator_blocked_domain_is_403_without_fetching(
    fed_network: Any, remote: Any, settings: Any, outgoing: Any
) -> None:
    settings.KRING_FEDERATION_BLOCKED_DOMAINS = ["example"]
    assert follow(remote, fed_network).status_code == 403
    assert not Follower.objects.exists()
    assert outgoing.sent == []


def test_network_not_on_the_fediverse_is_404(network: Any, remote: Any) -> None:
    assert follow(remote, network).status_code == 404


def test_rate_limit_per_instance(fed_network: Any, remote: Any, settings: Any) -> None:
    settings.KRING_FEDERATION_RATE_PER_MINUTE = 2
    codes = [follow(remote, fed_network).status_code for _ in range(3)]
    assert codes == [202, 202, 429]


# --- Bad input -----------------------------------------------------------------------------


def test_malformed_json_is_400(fed_network: Any, remote: Any) -> None:
    response = remote.post(INBOX, None, raw=b'{"type": "Follow", ')
    assert response.status_code == 400


@pytest.mark.parametrize("payload", [[], "Follow", 3, {"type": "Follow"}, {"id": "x"}])
def test_not_an_activity_is_400(fed_network: Any, remote: Any, payload: Any) -> None:
    assert remote.post(INBOX, payload).status_code == 400
    assert not ReceivedActivity.objects.exists()


def test_huge_document_is_413(fed_network: Any, remote: Any) -> None:
    activity = remote.activity("Create", {"type": "Note", "content": "x" * 300_000})
    assert remote.post(INBOX, activity).status_code == 413
    assert not ReceivedActivity.objects.exists()


def test_foreign_object_is_ignored(fed_network: Any, remote: Any) -> None:
    like = remote.activity("Like", "https://elsewhere.example/notes/1")
    response = remote.post(INBOX, like)
    assert response.status_code == 202
    assert "ignored" in response.json()["detail"]
    assert not Reaction.objects.exists()


def test_unknown_activity_is_acknowledged(fed_network: Any, remote: Any) -> None:
    response = remote.post(INBOX, remote.activity("Flag", documents.actor_id(fed_network)))
    assert response.status_code == 202
    assert "ignored" in response.json()["detail"]


def test_get_on_inbox_is_405(fed_network: Any, client: Any) -> None:
    assert client.get(INBOX).status_code == 405


# --- Replies, reactions --------------------------------------------------------------------


def note(remote: Any, in_reply_to: str, content: str = "<p>Count me in!</p>") -> dict[str, Any]:
    return {
        "id": remote.next_id("note"),
        "type": "Note",
        "attributedTo": remote.ap_id,
        "inReplyTo": in_reply_to,
        "content": content,
        "published": "2026-11-28T09:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }


def test_reply_is_held_then_shown(
    fed_network: Any, host: Any, remote: Any, client: Any, gathering: Any
) -> None:
    reply_note = note(
        remote,
        documents.event_id(gathering),
        '<p>Count me in!</p><script>alert(1)</script><a href="javascript:x">x</a>',
    )
    assert remote.post(SHARED, remote.activity("Create", reply_note)).status_code == 202
    reply = RemoteReply.objects.get()
    assert reply.status == ReplyStatus.HELD
    assert reply.gathering == gathering
    assert "<script>" not in reply.content and "javascript:" not in reply.content
    page = f"/n/{fed_network.slug}/gatherings/{gathering.pk}/guest/"
    signup = client.get(page)
    assert signup.status_code == 200
    assert "Count me in!" not in signup.content.decode()
    moderate_reply(actor=host, network=fed_network, reply_id=reply.pk, approve=True)
    shown = client.get(page).content.decode()
    assert "Count me in!" in shown and "@alice@remote.example" in shown


def test_reply_to_a_post_shows_under_the_post(
    fed_network: Any, host: Any, remote: Any, client: Any
) -> None:
    from kring.knowledge.services import create_post

    post = create_post(
        actor=host, network=fed_network, title="Lessons", body="Text", visibility="public"
    )
    remote.post(INBOX, remote.activity("Create", note(remote, documents.article_id(post))))
    reply = RemoteReply.objects.get()
    assert reply.post == post
    moderate_reply(actor=host, network=fed_network, reply_id=reply.pk, approve=True)
    page = client.get(f"/n/{fed_network.slug}/posts/{post.pk}/").content.decode()
    assert "Count me in!" in page


def test_reply_to_something_else_is_ignored(fed_network: Any, remote: Any) -> None:
    remote.post(INBOX, remote.activity("Create", note(remote, "https://elsewhere.example/1")))
    assert not RemoteReply.objects.exists()


def test_reply_with_an_id_on_another_domain_is_400(
    fed_network: Any, remote: Any, gathering: Any
) -> None:
    forged = note(remote, documents.event_id(gathering))
    forged["id"] = "https://victim.example/notes/1"
    assert remote.post(INBOX, remote.activity("Create", forged)).status_code == 400
    assert not RemoteReply.objects.exists()


def test_like_and_announce_are_counted_once(
    fed_network: Any, remote: Any, gathering: Any, client: Any
) -> None:
    from kring.federation.selectors import reaction_counts

    event = documents.event_id(gathering)
    for kind in ("Like", "Like", "Announce"):
        assert remote.post(INBOX, remote.activity(kind, event)).status_code == 202
    assert reaction_counts(event) == {"like": 1, "announce": 1}
    signup = client.get(f"/n/testnet/gatherings/{gathering.pk}/guest/").content.decode()
    assert "Op de fediverse: 1 like" in signup and "1 boost" in signup  # Dutch by default
    like_id = Reaction.objects.get(kind="like").ap_id
    remote.post(INBOX, remote.activity("Undo", {"id": like_id, "type": "Like"}))
    assert reaction_counts(event) == {"announce": 1}


def test_actor_delete_removes_their_content(fed_network: Any, remote: Any, gathering: Any) -> None:
    follow(remote, fed_network)
    remote.post(INBOX, remote.activity("Create", note(remote, documents.event_id(gathering))))
    remote.post(INBOX, remote.activity("Like", documents.event_id(gathering)))
    remote.post(INBOX, remote.activity("Join", documents.event_id(gathering)))
    assert Rsvp.objects.get().status == RsvpStatus.GOING
    response = remote.post(SHARED, remote.activity("Delete", remote.ap_id))
    assert response.status_code == 202
    assert not Follower.objects.exists()
    assert not RemoteReply.objects.exists()
    assert not Reaction.objects.exists()
    assert not Participation.objects.exists()
    assert Rsvp.objects.get().status == RsvpStatus.NOT_GOING


# --- Join / Leave --------------------------------------------------------------------------


def test_join_takes_a_seat_and_is_accepted(
    fed_network: Any, remote: Any, gathering: Any, outgoing: Any
) -> None:
    join = remote.activity("Join", documents.event_id(gathering))
    assert remote.post(INBOX, join).status_code == 202
    rsvp = Rsvp.objects.get()
    assert rsvp.status == RsvpStatus.GOING and rsvp.user is None
    assert rsvp.guest_email.endswith("@fediverse.invalid")
    assert "@alice@remote.example" in rsvp.guest_name
    gathering.refresh_from_db()
    assert gathering.seats_taken == 1
    (accept,) = outgoing.activities("Accept")
    assert accept["object"]["id"] == join["id"]
    update = outgoing.activities("Update")
    assert update == []  # nobody follows yet
    leave = remote.activity("Leave", documents.event_id(gathering))
    assert remote.post(INBOX, leave).status_code == 202
    gathering.refresh_from_db()
    assert gathering.seats_taken == 0
    assert Rsvp.objects.get().status == RsvpStatus.NOT_GOING


def test_join_of_a_full_gathering_goes_on_the_waitlist_never_overbooks(
    fed_network: Any, client: Any, gathering: Any, outgoing: Any
) -> None:
    from kring.federation.tests.conftest import Remote

    peers = [Remote(client=client, username=f"p{i}") for i in range(3)]
    for peer in peers:
        peer.cache()
        assert (
            peer.post(INBOX, peer.activity("Join", documents.event_id(gathering))).status_code
            == 202
        )
    gathering.refresh_from_db()
    assert gathering.seats_taken == 2 == gathering.capacity
    statuses = sorted(Rsvp.objects.values_list("status", flat=True))
    assert statuses == ["going", "going", "waitlisted"]
    assert len(outgoing.activities("Accept")) == 2
    # The first leaves: the waitlisted one moves up.
    peers[0].post(INBOX, peers[0].activity("Leave", documents.event_id(gathering)))
    assert sorted(Rsvp.objects.values_list("status", flat=True)) == [
        "going",
        "going",
        "not_going",
    ]


def test_join_twice_is_one_signup(fed_network: Any, remote: Any, gathering: Any) -> None:
    for _ in range(2):
        remote.post(INBOX, remote.activity("Join", documents.event_id(gathering)))
    assert Rsvp.objects.count() == 1
    gathering.refresh_from_db()
    assert gathering.seats_taken == 1


def test_join_of_a_past_gathering_is_refused(
    fed_network: Any, remote: Any, gathering: Any, outgoing: Any
) -> None:
    import time_machine

    with time_machine.travel(gathering.ends_at + timedelta(hours=1)):
        response = remote.post(INBOX, remote.activity("Join", documents.event_id(gathering)))
    assert response.status_code == 409
    assert not Rsvp.objects.exists()
    assert len(outgoing.activities("Reject")) == 1


def test_join_of_a_members_only_gathering_is_refused(
    fed_network: Any, remote: Any, gathering: Any
) -> None:
    gathering.open_to_guests = False
    gathering.save()
    response = remote.post(INBOX, remote.activity("Join", documents.event_id(gathering)))
    assert response.status_code == 403
    assert not Rsvp.objects.exists()


def test_join_of_another_networks_gathering_is_ignored(
    fed_network: Any, remote: Any, gathering: Any, other_network: Any
) -> None:
    foreign = documents.event_id(gathering).replace("/testnet/", "/othernet/")
    response = remote.post(INBOX, remote.activity("Join", foreign))
    assert response.status_code == 202
    assert not Rsvp.objects.exists()


# --- Fuzz: whatever a signed peer sends, never a 500 ----------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=12,
)
KINDS = st.sampled_from(
    ["Follow", "Undo", "Create", "Update", "Delete", "Like", "Announce", "Join", "Leave", "Flag"]
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=KINDS,
    obj=JSONISH | st.sampled_from(["EVENT", "ACTOR", "SELF"]),
    extra=st.dictionaries(
        st.sampled_from(["inReplyTo", "content", "published", "object", "to"]),
        JSONISH | st.sampled_from(["EVENT", "2026-13-45T99:00:00Z"]),
        max_size=3,
    ),
)
def test_signed_garbage_never_500s(
    fed_network: Any, remote: Any, gathering: Any, kind: str, obj: Any, extra: dict[str, Any]
) -> None:
    names = {
        "EVENT": documents.event_id(gathering),
        "ACTOR": documents.actor_id(fed_network),
        "SELF": remote.ap_id,
    }
    obj = names.get(obj, obj) if isinstance(obj, str) else obj
    if kind == "Create" and isinstance(obj, dict):
        obj = {**obj, **{k: names.get(v, v) if isinstance(v, str) else v for k, v in extra.items()}}
    response = remote.post(INBOX, remote.activity(kind, obj))
    assert response.status_code < 500, response.content
    response = remote.post(SHARED, remote.activity(kind, obj))
    assert response.status_code < 500, response.content
