"""Use-cases for gatherings, one module per topic; the public names are re-exported here, so
callers write ``from kring.gatherings import services`` and ``services.answer_rsvp(...)``.

- :mod:`.schedule` — create, edit (one or the series), cancel, extend a series
- :mod:`.seats` and :mod:`.rsvp` — seats, the waitlist, a member's answer
- :mod:`.guests` — guests sign up for open gatherings and confirm by e-mail
- :mod:`.checkin` — check-in at the door; :mod:`.door_sync` — check-ins made offline
- :mod:`.agenda`, :mod:`.byo`, :mod:`.minutes`, :mod:`.discussion` — the meeting itself
- :mod:`.calendar` — the private calendar feed

Seats are guarded by the database: ``Gathering.seats_taken`` only changes through conditional
UPDATEs (``... SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity``) and a CHECK
constraint; every RSVP change first locks the gathering row (SELECT FOR UPDATE on PostgreSQL,
the IMMEDIATE write lock on SQLite), so waitlist numbers and promotions are serialised too.
"""

from kring.gatherings.tokens import guest_link_token, hash_token

from .agenda import (
    MAGIC,
    PREP_EXTENSIONS,
    add_agenda_item,
    check_upload,
    mark_agenda_read,
    move_agenda_item,
    publish_agenda,
    remove_agenda_item,
)
from .byo import add_byo_item, claim_byo_item, remove_byo_item
from .calendar import calendar_feed_for, reset_calendar_feed
from .checkin import SELF_CHECKIN_AFTER, SELF_CHECKIN_BEFORE, check_in, self_check_in
from .discussion import post_comment, set_discussion_emails
from .door import JOIN_BEFORE, add_walk_in, guest_join_online, invite_guest, join_online
from .door_sync import CheckInResult, OfflineCheckIn, SyncResult, sync_check_ins
from .guests import cancel_guest, confirm_guest, guest_rsvp_by_token, register_guest
from .minutes import add_action_item, save_minutes, set_action_status
from .rsvp import RsvpResult, answer_rsvp
from .schedule import (
    EDITABLE_FIELDS,
    MAX_DURATION,
    MAX_OCCURRENCES,
    RECURRENCES,
    cancel_gathering,
    cancel_series,
    create_gathering,
    extend_series,
    occurrences,
    recurrence_rule,
    remove_gathering_cover,
    set_gathering_cover,
    update_gathering,
)
from .seats import waitlist_position

__all__ = [
    "EDITABLE_FIELDS",
    "JOIN_BEFORE",
    "MAGIC",
    "MAX_DURATION",
    "MAX_OCCURRENCES",
    "PREP_EXTENSIONS",
    "RECURRENCES",
    "SELF_CHECKIN_AFTER",
    "SELF_CHECKIN_BEFORE",
    "CheckInResult",
    "OfflineCheckIn",
    "RsvpResult",
    "SyncResult",
    "add_action_item",
    "add_agenda_item",
    "add_byo_item",
    "add_walk_in",
    "answer_rsvp",
    "calendar_feed_for",
    "cancel_gathering",
    "cancel_guest",
    "cancel_series",
    "check_in",
    "check_upload",
    "claim_byo_item",
    "confirm_guest",
    "create_gathering",
    "extend_series",
    "guest_join_online",
    "guest_link_token",
    "guest_rsvp_by_token",
    "hash_token",
    "invite_guest",
    "join_online",
    "mark_agenda_read",
    "move_agenda_item",
    "occurrences",
    "post_comment",
    "publish_agenda",
    "recurrence_rule",
    "register_guest",
    "remove_agenda_item",
    "remove_byo_item",
    "remove_gathering_cover",
    "reset_calendar_feed",
    "save_minutes",
    "self_check_in",
    "set_action_status",
    "set_discussion_emails",
    "set_gathering_cover",
    "sync_check_ins",
    "update_gathering",
    "waitlist_position",
]
