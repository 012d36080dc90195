"""The private calendar feed."""

from __future__ import annotations

from django.db import transaction

from kring.core import audit
from kring.gatherings.models import (
    CalendarFeed,
)
from kring.people.models import User

# --- Private calendar feed ------------------------------------------------------------------


def calendar_feed_for(user: User) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        feed, _created = CalendarFeed.objects.get_or_create(
            user=user, defaults={"token": CalendarFeed.new_token()}
        )
    return feed


@transaction.atomic
def reset_calendar_feed(*, actor: User) -> CalendarFeed:
    feed = calendar_feed_for(actor)
    CalendarFeed.objects.filter(pk=feed.pk).update(token=CalendarFeed.new_token())
    feed.refresh_from_db()
    audit.record(verb="gathering.calendar_reset", actor=actor, obj=feed)
    return feed
