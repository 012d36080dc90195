"""Charter versions, applications, engagement history and the commitment settings."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


class CommitmentSettings(models.Model):
    """Per-network settings of this app (created lazily with the defaults)."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="commitment_settings"
    )
    members_may_advise = models.BooleanField(
        _("members may add advice on applications"), default=False
    )
    max_members = models.PositiveIntegerField(
        _("maximum number of members"),
        null=True,
        blank=True,
        help_text=_(
            "When the network is full, new applicants go on the waiting list. "
            "Leave empty for no maximum."
        ),
    )
    publish_health = models.BooleanField(
        _("publish the health scorecard on the public page"), default=False
    )
    low_engagement_threshold = models.PositiveSmallIntegerField(
        _("low engagement below (0–100)"),
        default=35,
        help_text=_("Below this score, a member may need a personal call."),
    )

    class Meta:
        verbose_name = _("commitment settings")
        verbose_name_plural = _("commitment settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(low_engagement_threshold__lte=100), name="commitment_threshold_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network}"


class CharterVersion(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("charter"), max_length=10000)
    summary = models.CharField(_("summary of changes"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="charter_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="charter_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.network} v{self.number}"


class HeardVia(models.TextChoices):
    OWN = "own", _("On my own")
    PUBLIC_PAGE = "public_page", _("The public page")
    SOCIAL = "social", _("Social media")
    MEMBER = "member", _("A member invited me")
    GATHERING = "gathering", _("A gathering I visited")
    OTHER = "other", _("Other")


#: "Spontaneous": the applicant found us without a member recruiting them.
SPONTANEOUS = (HeardVia.OWN, HeardVia.PUBLIC_PAGE, HeardVia.SOCIAL, HeardVia.GATHERING)


class ApplicationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("e-mail not yet confirmed")
    PENDING = "pending", _("waiting for review")
    WAITLISTED = "waitlisted", _("on the waiting list")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class Application(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    passion = models.TextField(_("what you are passionate about"), max_length=1000)
    talents = models.TextField(_("your talents"), max_length=1000, blank=True)
    gives = models.TextField(_("what you would give"), max_length=1000, blank=True)
    seeks = models.TextField(_("what you seek"), max_length=1000, blank=True)
    objective_id = models.PositiveIntegerField(null=True, blank=True)
    objective_title = models.CharField(_("objective"), max_length=200, blank=True)
    heard_via = models.CharField(_("how you heard of us"), max_length=16, choices=HeardVia.choices)
    charter_version = models.ForeignKey(
        CharterVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.UNVERIFIED,
    )
    created_at = models.DateTimeField(_("applied"))
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("message to the applicant"), blank=True, max_length=2000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["status", "decided_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "declined"]) | Q(decided_at__isnull=False),
                name="application_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.network}"

    @property
    def spontaneous(self) -> bool:
        return self.heard_via in SPONTANEOUS

    def email_hash(self) -> str:
        return hashlib.sha256(self.email.lower().encode()).hexdigest()[:16]


class ApplicationAdvice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="advice")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("advice"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "author"], name="advice_one_per_member")
        ]

    def __str__(self) -> str:
        return f"advice on {self.application_id}"


class EngagementSnapshot(models.Model):
    """One member's engagement score for one month (the trend; written by a monthly tick)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    score = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user", "month"], name="engagement_snapshot_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.month}: {self.score}"


class LowEngagementNote(models.Model):
    """The one kind e-mail sent for a low period; a new period starts once the score recovers."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(closed_at__isnull=True),
                name="one_open_low_period",
            ),
        ]

    def __str__(self) -> str:
        return f"low period of {self.user_id} since {self.sent_at:%Y-%m-%d}"


class DeletedApplicationTally(models.Model):
    """Counts of declined applications deleted after 28 days, so the funnel keeps them."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    heard_via = models.CharField(max_length=16, choices=HeardVia.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "month", "heard_via"], name="deleted_application_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.heard_via}: {self.count}"
