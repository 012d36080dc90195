from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound
from kring.gatherings import selectors, services
from kring.gatherings.models import Gathering, Rsvp, RsvpStatus
from kring.gatherings.tasks import agenda_reminders_due, overdue_actions_due

from .conftest import AMS, NOW

pytestmark = pytest.mark.django_db


def test_create_refuses_past_and_inverted_times(network: Any, host: Any, frozen: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.create_gathering(
            actor=host, network=network, title="x", starts_at=NOW - timedelta(hours=1), ends_at=NOW
        )
    assert exc.value.field == "starts_at"
    with pytest.raises(DomainError) as exc:
        services.create_gathering(
            actor=host,
            network=network,
            title="x",
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(hours=2),
        )
    assert exc.value.field == "ends_at"
    assert not Gathering.objects.exists()


def test_member_cannot_create(network: Any, member: Any, frozen: Any) -> None:
    with pytest.raises(NotAllowed):
        services.create_gathering(
            actor=member,
            network=network,
            title="x",
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=1, hours=2),
        )


def test_series_every_second_tuesday_keeps_local_time_over_dst(
    network: Any, host: Any, frozen: Any
) -> None:
    from datetime import datetime

    start = datetime(2026, 12, 8, 19, 30, tzinfo=AMS)  # the second Tuesday of December
    first = services.create_gathering(
        actor=host,
        network=network,
        title="Open Coffee",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        recurrence="monthly_weekday",
        occurrence_count=6,
    )
    series = list(Gathering.objects.filter(series=first.series).order_by("starts_at"))
    assert first.series.rrule == "FREQ=MONTHLY;BYDAY=2TU"
    local = [timezone.localtime(g.starts_at, AMS) for g in series]
    assert [d.date().isoformat() for d in local] == [
        "2026-12-08",
        "2027-01-12",
        "2027-02-09",
        "2027-03-09",
        "2027-04-13",
        "2027-05-11",
    ]
    assert {(d.hour, d.minute, d.weekday()) for d in local} == {(19, 30, 1)}  # across DST


def test_edit_one_or_the_series(network: Any, host: Any, frozen: Any) -> None:
    start = NOW + timedelta(days=3)
    first = services.create_gathering(
        actor=host,
        network=network,
        title="Weekly",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        recurrence="weekly",
        occurrence_count=4,
    )
    series = list(Gathering.objects.filter(series=first.series).order_by("starts_at"))
    services.update_gathering(actor=host, gathering=series[1], data={"title": "Special"})
    titles = list(
        Gathering.objects.filter(series=first.series)
        .order_by("starts_at")
        .values_list("title", flat=True)
    )
    assert titles == ["Weekly", "Special", "Weekly", "Weekly"]
    services.update_gathering(
        actor=host,
        gathering=series[2],
        scope="series",
        data={
            "venue_name": "Elsewhere",
            "starts_at": series[2].starts_at + timedelta(hours=1),
            "ends_at": series[2].ends_at + timedelta(hours=1),
        },
    )
    after = list(Gathering.objects.filter(series=first.series).order_by("starts_at"))
    assert [g.venue_name for g in after] == ["", "", "Elsewhere", "Elsewhere"]
    assert after[3].starts_at == series[3].starts_at + timedelta(hours=1)
    assert after[1].starts_at == series[1].starts_at


def test_rsvp_capacity_waitlist_and_promotion(gathering: Any, make_member: Any) -> None:
    services.update_gathering(actor=gathering.created_by, gathering=gathering, data={"capacity": 2})
    a, b, c, d = (make_member() for _ in range(4))
    assert services.answer_rsvp(actor=a, gathering=gathering, answer="going").status == "going"
    assert services.answer_rsvp(actor=b, gathering=gathering, answer="going").status == "going"
    rc = services.answer_rsvp(actor=c, gathering=gathering, answer="going")
    rd = services.answer_rsvp(actor=d, gathering=gathering, answer="going")
    assert (rc.status, rc.waitlist_position) == ("waitlisted", 1)
    assert (rd.status, rd.waitlist_position) == ("waitlisted", 2)
    # a double RSVP changes nothing
    again = services.answer_rsvp(actor=a, gathering=gathering, answer="going")
    assert not again.changed and Rsvp.objects.filter(user=a).count() == 1
    mail.outbox.clear()
    services.answer_rsvp(actor=a, gathering=gathering, answer="not_going")
    gathering.refresh_from_db()
    assert gathering.seats_taken == 2
    assert Rsvp.objects.get(user=c).status == "going"
    assert services.waitlist_position(Rsvp.objects.get(user=d)) == 1
    assert [m.to for m in mail.outbox] == [[c.email]]
    with pytest.raises(DomainError) as exc:
        services.update_gathering(
            actor=gathering.created_by, gathering=gathering, data={"capacity": 1}
        )
    assert exc.value.field == "capacity"
    services.update_gathering(actor=gathering.created_by, gathering=gathering, data={"capacity": 3})
    assert Rsvp.objects.get(user=d).status == "going"


def test_rsvp_refusals(gathering: Any, member: Any, outsider: Any, host: Any) -> None:
    with pytest.raises(NotFound):
        services.answer_rsvp(actor=outsider, gathering=gathering, answer="going")
    with pytest.raises(DomainError):
        services.answer_rsvp(actor=member, gathering=gathering, answer="perhaps")
    services.cancel_gathering(actor=host, gathering=gathering)
    with pytest.raises(Conflict):
        services.answer_rsvp(actor=member, gathering=gathering, answer="going")


def test_cancel_tells_members(gathering: Any, host: Any, member: Any) -> None:
    mail.outbox.clear()
    services.cancel_gathering(actor=host, gathering=gathering)
    assert sorted(m.to[0] for m in mail.outbox) == [host.email, member.email]
    with pytest.raises(Conflict):
        services.cancel_gathering(actor=host, gathering=gathering)


def test_guest_confirm_and_cancel(gathering: Any, host: Any) -> None:
    services.update_gathering(actor=host, gathering=gathering, data={"open_to_guests": True})
    mail.outbox.clear()
    rsvp = services.register_guest(gathering=gathering, name="Gijs Gast", email="gijs@x.nl")
    assert rsvp.status == RsvpStatus.UNCONFIRMED
    body = mail.outbox[0].body
    confirm = body.split("/guests/")[1].split("/")[0]
    gathering.refresh_from_db()
    assert gathering.seats_taken == 0
    found = services.guest_rsvp_by_token(confirm)
    assert services.confirm_guest(rsvp=found).status == "going"
    gathering.refresh_from_db()
    assert gathering.seats_taken == 1
    with pytest.raises(Conflict):
        services.register_guest(gathering=gathering, name="Gijs", email="gijs@x.nl")
    services.cancel_guest(rsvp=found)
    gathering.refresh_from_db()
    assert gathering.seats_taken == 0


def test_guests_only_for_open_gatherings(gathering: Any) -> None:
    with pytest.raises(NotAllowed):
        services.register_guest(gathering=gathering, name="G", email="g@x.nl")
    with pytest.raises(DomainError):
        services.register_guest(gathering=gathering, name="G", email="not-an-address")


def test_check_in_by_host_and_by_code(
    gathering: Any, host: Any, member: Any, make_member: Any, frozen: Any
) -> None:
    other = make_member()
    with pytest.raises(Conflict):
        services.check_in(actor=host, gathering=gathering, user_id=member.pk)
    services.answer_rsvp(actor=member, gathering=gathering, answer="going")
    services.answer_rsvp(actor=other, gathering=gathering, answer="maybe")
    with pytest.raises(Conflict):
        services.check_in(actor=host, gathering=gathering, user_id=other.pk)
    with pytest.raises(NotAllowed):
        services.check_in(actor=member, gathering=gathering, user_id=member.pk)
    r = services.check_in(actor=host, gathering=gathering, user_id=member.pk)
    assert r.checked_in_at is not None
    assert selectors.checked_in_user_ids(gathering) == [member.pk]
    services.answer_rsvp(actor=other, gathering=gathering, answer="going")
    with pytest.raises(Conflict):  # too early
        services.self_check_in(actor=other, gathering=gathering, code=gathering.checkin_code)
    frozen.move_to(gathering.starts_at)
    with pytest.raises(DomainError):
        services.self_check_in(actor=other, gathering=gathering, code="WRONG1")
    services.self_check_in(actor=other, gathering=gathering, code=gathering.checkin_code.lower())
    assert selectors.checked_in_user_ids(gathering) == sorted([member.pk, other.pk])


def test_agenda_publish_read_and_one_reminder(
    gathering: Any, host: Any, member: Any, make_member: Any
) -> None:
    reader = make_member()
    with pytest.raises(DomainError):
        services.publish_agenda(actor=host, gathering=gathering)
    services.add_agenda_item(
        actor=host, gathering=gathering, title="Welcome", owner=member, duration_minutes=10
    )
    with pytest.raises(Conflict):
        services.mark_agenda_read(actor=member, gathering=gathering)
    mail.outbox.clear()
    services.publish_agenda(actor=host, gathering=gathering)
    assert len(mail.outbox) == 3  # host, member, reader
    for user in (member, reader):
        services.answer_rsvp(actor=user, gathering=gathering, answer="going")
    services.mark_agenda_read(actor=reader, gathering=gathering)
    services.mark_agenda_read(actor=reader, gathering=gathering)  # idempotent
    mail.outbox.clear()
    assert agenda_reminders_due(NOW) == 0  # ten days ahead: not yet
    soon = gathering.starts_at - timedelta(days=1)
    assert agenda_reminders_due(soon) == 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert agenda_reminders_due(soon) == 0


def test_upload_checks(gathering: Any, host: Any, settings: Any) -> None:
    bad = SimpleUploadedFile("slides.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(DomainError) as exc:
        services.add_agenda_item(actor=host, gathering=gathering, title="x", prep_file=bad)
    assert exc.value.field == "prep_file"
    fake = SimpleUploadedFile("slides.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError):
        services.add_agenda_item(actor=host, gathering=gathering, title="x", prep_file=fake)
    settings.KRING_MAX_UPLOAD_BYTES = 10
    big = SimpleUploadedFile("slides.pdf", b"%PDF-1.4" + b"0" * 20)
    with pytest.raises(DomainError):
        services.add_agenda_item(actor=host, gathering=gathering, title="x", prep_file=big)
    settings.KRING_MAX_UPLOAD_BYTES = 1000
    ok = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 hello")
    item = services.add_agenda_item(actor=host, gathering=gathering, title="x", prep_file=ok)
    assert item.prep_file.name.endswith(".pdf")
    assert gathering.agenda_items.count() == 1


def test_byo_claims(gathering: Any, host: Any, member: Any, make_member: Any) -> None:
    item = services.add_byo_item(actor=host, gathering=gathering, label="Beamer")
    services.claim_byo_item(actor=member, item=item)
    with pytest.raises(Conflict):
        services.claim_byo_item(actor=make_member(), item=item)
    services.claim_byo_item(actor=member, item=item, release=True)
    item.refresh_from_db()
    assert item.claimed_by is None


def test_actions_stats_carry_and_overdue(
    gathering: Any, host: Any, member: Any, frozen: Any
) -> None:
    due = (NOW + timedelta(days=12)).date()
    a = services.add_action_item(
        actor=host, gathering=gathering, title="Send slides", owner=member, due_date=due
    )
    later = services.create_gathering(
        actor=host,
        network=gathering.network,
        title="Next",
        starts_at=gathering.starts_at + timedelta(days=30),
        ends_at=gathering.ends_at + timedelta(days=30),
    )
    assert [x.pk for x in selectors.open_actions_carried(later)] == [a.pk]
    with pytest.raises(NotFound):  # an outsider: the network is not there for them
        services.set_action_status(
            actor=host.__class__.objects.create_user(email="z@x.nl"), item=a, done=True
        )
    frozen.move_to(NOW + timedelta(days=14))
    mail.outbox.clear()
    assert overdue_actions_due(timezone.now()) == 1
    assert overdue_actions_due(timezone.now()) == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    stats = selectors.action_item_stats(gathering.network)
    assert stats[member.pk] == {"total": 1, "done": 0, "done_on_time": 0, "overdue": 1}
    services.set_action_status(actor=member, item=a, done=True)
    assert selectors.open_actions_carried(later) == []
    assert selectors.action_item_stats(gathering.network)[member.pk]["done"] == 1


def test_discussion_mails_participants_except_opted_out(
    gathering: Any, host: Any, member: Any, make_member: Any
) -> None:
    quiet = make_member()
    for u in (member, quiet):
        services.answer_rsvp(actor=u, gathering=gathering, answer="going")
    services.set_discussion_emails(actor=quiet, network=gathering.network, enabled=False)
    mail.outbox.clear()
    c = services.post_comment(actor=host, gathering=gathering, body="Who brings **coffee**?")
    assert [m.to for m in mail.outbox] == [[member.email]]
    with pytest.raises(DomainError):
        services.post_comment(actor=member, gathering=gathering, body="   ")
    assert c.body.startswith("Who")


def test_stats_over_past_gatherings(gathering: Any, host: Any, member: Any, frozen: Any) -> None:
    services.add_agenda_item(actor=host, gathering=gathering, title="Welcome")
    services.publish_agenda(actor=host, gathering=gathering)
    services.answer_rsvp(actor=member, gathering=gathering, answer="going")
    services.mark_agenda_read(actor=member, gathering=gathering)
    services.check_in(actor=host, gathering=gathering, user_id=member.pk)
    services.save_minutes(actor=host, gathering=gathering, minutes="# Done")
    frozen.move_to(gathering.ends_at + timedelta(days=1))
    stats = selectors.attendance_stats(gathering.network)
    assert stats[member.pk] == {"going": 1, "attended": 1, "agenda_read_before": 1}
    assert selectors.gatherings_summary(gathering.network) == {
        "past": 1,
        "with_published_agenda": 1,
        "with_minutes": 1,
        "with_action_items": 0,
    }
    assert selectors.upcoming_gatherings(gathering.network) == []


def test_series_shift_keeps_wall_clock_and_tells_those_coming(
    network: Any, host: Any, member: Any, frozen: Any
) -> None:
    from datetime import datetime

    start = datetime(2026, 12, 8, 19, 30, tzinfo=AMS)
    first = services.create_gathering(
        actor=host,
        network=network,
        title="Open Coffee",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        recurrence="monthly_weekday",
        occurrence_count=6,
    )
    services.answer_rsvp(actor=member, gathering=first, answer="going")
    mail.outbox.clear()
    services.update_gathering(
        actor=host,
        gathering=first,
        scope="series",
        data={
            "title": "Open Coffee",
            "starts_at": start + timedelta(hours=1),
            "ends_at": start + timedelta(hours=3),
        },
    )
    local = [
        timezone.localtime(g.starts_at, AMS)
        for g in Gathering.objects.filter(series=first.series).order_by("starts_at")
    ]
    assert {(d.hour, d.minute) for d in local} == {(20, 30)}  # also after 28 March (DST)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "20:30" in mail.outbox[0].body
    mail.outbox.clear()
    services.update_gathering(actor=host, gathering=first, data={"title": "Open Coffee"})
    assert mail.outbox == []  # nothing changed, nobody bothered


def test_scheduled_jobs_are_registered() -> None:
    from kring.core.ticks import _JOBS

    assert _JOBS["gatherings.agenda_reminders"] is agenda_reminders_due
    assert _JOBS["gatherings.overdue_actions"] is overdue_actions_due


def _weekly_series(network: Any, host: Any, count: int = 4) -> list[Gathering]:
    from datetime import datetime

    start = datetime(2026, 12, 3, 19, 30, tzinfo=AMS)  # Thursdays
    first = services.create_gathering(
        actor=host,
        network=network,
        title="Donderdagborrel",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=12,
        open_to_guests=True,
        recurrence="weekly",
        occurrence_count=count,
    )
    return list(Gathering.objects.filter(series=first.series).order_by("starts_at"))


def test_cancel_series_cancels_later_ones_and_tells_members_once(
    network: Any, host: Any, member: Any, frozen: Any
) -> None:
    series = _weekly_series(network, host)
    guest = services.register_guest(gathering=series[3], name="Gast", email="gast@example.org")
    services.confirm_guest(rsvp=guest)
    with pytest.raises(NotAllowed):
        services.cancel_series(actor=member, gathering=series[0])
    frozen.move_to(series[0].ends_at + timedelta(hours=1))  # the first one is past
    mail.outbox.clear()
    cancelled = services.cancel_series(actor=host, gathering=series[2])
    assert [g.pk for g in cancelled] == [g.pk for g in series[1:]]
    statuses = {g.pk: g.status for g in Gathering.objects.filter(series=series[0].series)}
    assert statuses[series[0].pk] == "scheduled"  # history stays
    assert all(statuses[g.pk] == "cancelled" for g in series[1:])
    member_mails = [m for m in mail.outbox if m.to == [member.email]]
    assert len(member_mails) == 1  # one e-mail with every date, not three
    assert member_mails[0].subject == "Series cancelled: Donderdagborrel"
    assert member_mails[0].body.count("Donderdagborrel:") == 3
    assert [m.to for m in mail.outbox if "gast@" in m.to[0]] == [["gast@example.org"]]
    with pytest.raises(Conflict):
        services.cancel_series(actor=host, gathering=series[2])
    single = services.create_gathering(
        actor=host,
        network=network,
        title="Los",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
    )
    with pytest.raises(DomainError):
        services.cancel_series(actor=host, gathering=single)


def test_extend_series_continues_the_rule_from_the_last_one(
    network: Any, host: Any, member: Any, frozen: Any
) -> None:
    series = _weekly_series(network, host, count=3)
    # A later time for the whole series carries on into the new occurrences.
    services.update_gathering(
        actor=host,
        gathering=series[0],
        scope="series",
        data={
            "starts_at": series[0].starts_at + timedelta(minutes=30),
            "ends_at": series[0].ends_at + timedelta(minutes=30),
            "title": "Borrel",
        },
    )
    with pytest.raises(NotAllowed):
        services.extend_series(actor=member, gathering=series[0], count=2)
    for bad in (0, 53):
        with pytest.raises(DomainError):
            services.extend_series(actor=host, gathering=series[0], count=bad)
    added = services.extend_series(actor=host, gathering=series[1], count=3)
    all_ = list(Gathering.objects.filter(series=series[0].series).order_by("starts_at"))
    assert len(all_) == 6 and all_[3:] == added
    local = [timezone.localtime(g.starts_at, AMS) for g in all_]
    assert [d.strftime("%a %H:%M") for d in local] == ["Thu 20:00"] * 6
    assert [(b - a).days for a, b in pairwise(local)] == [7] * 5
    for g in added:
        assert (g.title, g.capacity, g.open_to_guests) == ("Borrel", 12, True)
        assert g.ends_at - g.starts_at == timedelta(hours=2)
    # A series that ran out long ago continues from today, never in the past.
    frozen.move_to(all_[-1].starts_at + timedelta(days=40))
    later = services.extend_series(actor=host, gathering=series[0], count=2)
    assert all(g.starts_at > timezone.now() for g in later)
    assert (later[1].starts_at - later[0].starts_at) == timedelta(days=7)


def test_paused_members_get_no_reminders_or_discussion_mails(
    gathering: Any, host: Any, member: Any, make_member: Any, frozen: Any
) -> None:
    from kring.networks.models import Membership

    paused = make_member()
    for u in (member, paused):
        services.answer_rsvp(actor=u, gathering=gathering, answer="going")
    services.add_agenda_item(actor=host, gathering=gathering, title="Welcome")
    services.publish_agenda(actor=host, gathering=gathering)
    due = (NOW + timedelta(days=1)).date()
    for owner in (member, paused):
        services.add_action_item(
            actor=host, gathering=gathering, title=f"Task {owner.pk}", owner=owner, due_date=due
        )
    services.post_comment(actor=paused, gathering=gathering, body="I will bring tea.")
    Membership.objects.filter(network=gathering.network, user=paused).update(status="paused")

    mail.outbox.clear()
    services.post_comment(actor=host, gathering=gathering, body="See you **Tuesday**.")
    assert [m.to for m in mail.outbox] == [[member.email]]  # not the paused writer

    mail.outbox.clear()
    assert agenda_reminders_due(gathering.starts_at - timedelta(days=1)) == 1
    assert [m.to for m in mail.outbox] == [[member.email]]

    frozen.move_to(NOW + timedelta(days=3))
    mail.outbox.clear()
    assert overdue_actions_due(timezone.now()) == 1  # only the active owner's
    assert [m.to for m in mail.outbox] == [[member.email]]
    # Back from the pause: the overdue reminder comes then, once.
    Membership.objects.filter(network=gathering.network, user=paused).update(status="active")
    mail.outbox.clear()
    assert overdue_actions_due(timezone.now()) == 1
    assert overdue_actions_due(timezone.now()) == 0
    assert [m.to for m in mail.outbox] == [[paused.email]]
