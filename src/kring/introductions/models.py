"""Introductions: rounds of 1:1 introductions and table plans, and who has met whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


class Cadence(models.TextChoices):
    OFF = "off", _("Only when a host starts one")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class IntroductionSettings(models.Model):
    """Per-network settings: how often a round of introductions runs by itself."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="introduction_settings"
    )
    cadence = models.CharField(
        _("scheduled rounds"), max_length=10, choices=Cadence.choices, default=Cadence.OFF
    )
    publish_automatically = models.BooleanField(
        _("publish scheduled rounds automatically"),
        default=True,
        help_text=_("Otherwise a scheduled round waits as a preview for a host."),
    )

    class Meta:
        verbose_name = _("introduction settings")
        verbose_name_plural = _("introduction settings")

    def __str__(self) -> str:
        return f"{self.network}: {self.cadence}"


class RoundKind(models.TextChoices):
    PAIRS = "pairs", _("1:1 introductions")
    TABLES = "tables", _("Table plan")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("preview")
    PUBLISHED = "published", _("published")


class Round(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="introduction_rounds"
    )
    kind = models.CharField(max_length=10, choices=RoundKind.choices, default=RoundKind.PAIRS)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    #: The gathering of a table plan (an id: the gatherings app is optional for this one).
    gathering_id = models.PositiveIntegerField(null=True, blank=True)
    table_size = models.PositiveSmallIntegerField(null=True, blank=True)
    rotations = models.PositiveSmallIntegerField(null=True, blank=True)
    seed = models.PositiveIntegerField(default=0)
    total = models.FloatField(default=0.0)
    upper_bound = models.FloatField(default=0.0)
    #: For scheduled rounds: the period it belongs to ("2026-11", "2026-W47"); unique per network.
    period = models.CharField(max_length=16, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "period"],
                condition=~Q(period=""),
                name="intro_round_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(upper_bound__gte=0), name="intro_round_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(kind="pairs") | (Q(table_size__gte=2) & Q(rotations__gte=1)),
                name="intro_round_tables_sized",
            ),
        ]
        indexes = [models.Index(fields=["network", "status", "kind"])]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def quality(self) -> float | None:
        """The total as a share (0..1) of the certified upper bound."""
        if self.upper_bound <= 0:
            return None
        return min(1.0, self.total / self.upper_bound)

    @property
    def quality_percent(self) -> str:
        q = self.quality
        return "—" if q is None else f"{q * 100:.1f}"


class Introduction(models.Model):
    """One group of a round: a pair (or the one trio), or a table in one rotation."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="introductions")
    rotation = models.PositiveSmallIntegerField(default=0)
    table = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0.0)
    #: The engine's structured reasons (``Score.details`` per pair), rendered per language.
    details = models.JSONField(default=list, blank=True)
    proposed_when = models.CharField(_("when"), max_length=120, blank=True)
    proposed_where = models.CharField(_("where"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rotation", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "rotation", "table"], name="intro_group_unique"
            ),
        ]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")

    def __str__(self) -> str:
        return f"{self.round_id}/{self.rotation}/{self.table}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("not yet")
    MET = "met", _("met")
    SKIPPED = "skipped", _("skipped")


class Participant(models.Model):
    """One seat: a member (``user``) in a pair or at a table, or a guest at a table.

    A table plan seats the gathering's guests and walk-ins by name next to the members:
    ``guest`` is their answer to the gathering (``gatherings.Rsvp`` without a user). Exactly
    one of ``user`` and ``guest`` is set (a check constraint).
    """

    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    guest = models.ForeignKey(
        "gatherings.Rsvp",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    #: Denormalised for the "nobody twice in a round" constraint.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    rotation = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    #: Private to this participant.
    note = models.TextField(_("private note"), blank=True, max_length=2000)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "rotation", "user"], name="intro_nobody_twice_in_round"
            ),
            models.UniqueConstraint(
                fields=["round", "rotation", "guest"],
                condition=Q(guest__isnull=False),
                name="intro_guest_once_per_rotation",
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest__isnull=True))
                | (Q(user__isnull=True) & Q(guest__isnull=False)),
                name="intro_seat_member_or_guest",
            ),
        ]

    def __str__(self) -> str:
        who = f"guest {self.guest_id}" if self.guest_id else self.user_id
        return f"{who} in {self.introduction_id}"

    @property
    def is_guest(self) -> bool:
        return self.guest_id is not None

    @property
    def name(self) -> str:
        """The name to show: the member's display name, or the name the guest gave."""
        if self.guest is not None:
            return self.guest.guest_name
        return self.user.display_name if self.user is not None else ""


class MemberPreference(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    skip_next = models.BooleanField(_("skip the next round"), default=False)
    paused = models.BooleanField(_("pause introductions"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="intro_pref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.network_id}"


class Block(models.Model):
    """The blocker is never introduced to the blocked person again. Nobody else sees it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "blocker", "blocked"], name="intro_block_unique"
            ),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="intro_block_not_self"),
        ]

    def __str__(self) -> str:
        return f"block {self.pk}"


class KnewAlready(models.Model):
    """A "we already knew each other" self-report; stored once per pair (user_a < user_b)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user_a", "user_b"], name="intro_knew_unique"
            ),
            models.CheckConstraint(condition=Q(user_a__lt=F("user_b")), name="intro_knew_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.user_a_id} & {self.user_b_id}"
