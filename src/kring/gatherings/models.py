"""Gatherings: in-person meetings with agenda, RSVP (seat counter), check-in and follow-up."""

from __future__ import annotations

import secrets
import zoneinfo
from urllib.parse import quote_plus

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.covers import CoverFields
from kring.core.files import RandomName
from kring.core.weblinks import validate_web_url
from kring.networks.models import Network


def new_checkin_code() -> str:
    alphabet = "ACDEFGHJKMNPQRTUVWXY34679"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Series(models.Model):
    """A recurrence rule (RFC 5545 RRULE, local time of the network) shared by occurrences."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="gathering_series")
    rrule = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series of gatherings")
        verbose_name_plural = _("series of gatherings")

    def __str__(self) -> str:
        return self.rrule


class GatheringStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class AgendaStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class GatheringMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("in person and online")


class ContributionMethod(models.TextChoices):
    DOOR = "door", _("at the door")
    TRANSFER = "transfer", _("by bank transfer")


class GatheringQuerySet(models.QuerySet["Gathering"]):
    def upcoming(self) -> GatheringQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self) -> GatheringQuerySet:
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def active(self) -> GatheringQuerySet:
        return self.exclude(status=GatheringStatus.CANCELLED)


class Gathering(CoverFields):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="gatherings")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="gatherings"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link (hybrid)"), blank=True, validators=[validate_web_url]
    )
    mode = models.CharField(
        _("where"), max_length=10, choices=GatheringMode.choices, default=GatheringMode.IN_PERSON
    )
    #: What a guest contributes: None = not stated, 0 = free, otherwise cents.
    guest_contribution_cents = models.PositiveIntegerField(
        _("guest contribution (cents)"), null=True, blank=True
    )
    contribution_method = models.CharField(
        _("paid"), max_length=10, choices=ContributionMethod.choices, blank=True
    )
    follow_up_guests = models.BooleanField(
        _("thank guests afterwards with a mail on how to join"), default=False
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    open_to_guests = models.BooleanField(_("open to guests"), default=False)
    status = models.CharField(
        max_length=12, choices=GatheringStatus.choices, default=GatheringStatus.SCHEDULED
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    agenda_status = models.CharField(
        max_length=12, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    checkin_code = models.CharField(max_length=12, default=new_checkin_code)
    # Seats: a counter updated only with conditional UPDATEs (never read-check-write).
    seats_taken = models.PositiveIntegerField(default=0)
    waitlist_seq = models.PositiveIntegerField(default=0)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE, bumped on edits
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GatheringQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        indexes = [models.Index(fields=["network", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="gathering_never_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="gathering_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == GatheringStatus.CANCELLED

    def cover_url(self, key: str) -> str:
        return reverse("gatherings:cover", args=[self.network.slug, self.pk, key])

    @property
    def cover_is_public(self) -> bool:
        """Open to guests in a network that publishes guest sign-up (the public page, the
        sign-up page): anyone may see its cover. Otherwise members only."""
        return self.open_to_guests and self.network.accepts_guests

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def agenda_published(self) -> bool:
        return self.agenda_status == AgendaStatus.PUBLISHED

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return self.network.tzinfo

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.tz)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.tz)

    @property
    def has_online(self) -> bool:
        return self.mode in {GatheringMode.ONLINE, GatheringMode.HYBRID}

    @property
    def has_in_person(self) -> bool:
        return self.mode != GatheringMode.ONLINE

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def map_url(self) -> str:

        where = ", ".join(p for p in [self.venue_name, self.venue_address] if p)
        return f"https://www.openstreetmap.org/search?query={quote_plus(where)}" if where else ""


class RsvpStatus(models.TextChoices):
    GOING = "going", _("going")
    WAITLISTED = "waitlisted", _("on the waitlist")
    MAYBE = "maybe", _("maybe")
    ONLINE = "online", _("joining online")
    NOT_GOING = "not_going", _("not going")
    UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")


class Rsvp(models.Model):
    """One answer per member (``user``) or guest (``guest_email``) per gathering."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gathering_rsvps",
    )
    guest_name = models.CharField(_("name"), max_length=120, blank=True)
    guest_email = models.EmailField(_("e-mail address"), blank=True)
    guest_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    #: "The hosts may contact me about this network", with the moment it was given.
    guest_consent_at = models.DateTimeField(null=True, blank=True)
    walk_in = models.BooleanField(default=False)
    #: A guest who chose to join a hybrid gathering online (kept until they confirm).
    joins_online = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=RsvpStatus.choices)
    waitlist_number = models.PositiveIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "user"],
                condition=Q(user__isnull=False),
                name="rsvp_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["gathering", "guest_email"],
                condition=Q(user__isnull=True) & ~Q(guest_email=""),
                name="rsvp_one_per_guest_email",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False)
                | ~Q(guest_email="")
                | (Q(walk_in=True) & ~Q(guest_name="")),
                name="rsvp_member_guest_or_walk_in",
            ),
            models.UniqueConstraint(
                fields=["gathering", "waitlist_number"],
                condition=Q(waitlist_number__isnull=False),
                name="rsvp_unique_waitlist_number",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status__in=["going", "online"]),
                name="rsvp_attended_only_when_going_or_online",
            ),
        ]
        indexes = [models.Index(fields=["gathering", "status", "waitlist_number"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.gathering}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def has_consent(self) -> bool:
        return self.guest_consent_at is not None

    @property
    def name(self) -> str:
        return self.user.display_name if self.user is not None else self.guest_name


class AgendaRead(models.Model):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="agenda_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gathering", "user"], name="agenda_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.gathering_id}"


class AgendaItem(models.Model):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    duration_minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    prep_url = models.URLField(_("preparation link"), blank=True, validators=[validate_web_url])
    prep_file = models.FileField(
        _("preparation file"), upload_to=RandomName("gatherings/prep"), blank=True
    )
    prep_file_name = models.CharField(max_length=200, blank=True)  # the uploader's file name

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ByoItem(models.Model):
    """Bring Your Own: what the gathering needs, and who brings it."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="byo_items")
    label = models.CharField(_("what is needed"), max_length=120)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class ActionItem(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="action_items")
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="gathering_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        indexes = [models.Index(fields=["network", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True)
                | Q(status="done", done_at__isnull=False),
                name="action_done_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:40]}"


class DiscussionOptOut(models.Model):
    """A member who does not want e-mail about discussions in a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="discussion_optout_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.network_id}"


class CalendarFeed(models.Model):
    """The secret token of a member's private iCal feed (resettable)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gathering_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)
