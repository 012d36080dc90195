from __future__ import annotations

import hashlib
import zoneinfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.covers import CoverFields

TIME_ZONES = sorted(zoneinfo.available_timezones())


class NetworkKind(models.TextChoices):
    BRANCH = "branch", _("Serving a branch")
    STARTERS = "starters", _("Coaching starters")
    PROJECTS = "projects", _("Working on projects")
    KNOWLEDGE = "knowledge", _("Sharing knowledge")
    OTHER = "other", _("Other")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone with an account may join")
    APPLY = "apply", _("Apply: the hosts review applications")
    INVITE = "invite", _("Invite only")


class NetworkQuerySet(models.QuerySet["Network"]):
    def public(self) -> NetworkQuerySet:
        return self.filter(public_page_enabled=True)


class Network(CoverFields):
    slug = models.SlugField(
        _("short name (in web addresses)"),
        max_length=50,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Use lowercase letters, digits, -"))],
    )
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Amsterdam",
        choices=[(tz, tz) for tz in TIME_ZONES],
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    kind = models.CharField(
        _("kind of network"), max_length=16, choices=NetworkKind.choices, default=NetworkKind.OTHER
    )
    purpose = models.TextField(
        _("purpose"),
        help_text=_("The goal outside the network, in your own words."),
        max_length=3000,
    )
    for_whom = models.TextField(
        _("for whom"),
        help_text=_("The people or organisations the network serves."),
        blank=True,
        max_length=2000,
    )
    offer_to_third_parties = models.TextField(
        _("what we offer third parties"), blank=True, max_length=3000
    )
    charter = models.TextField(
        _("charter"),
        blank=True,
        max_length=10000,
        help_text=_("What the network expects of its members. Members accept it on joining."),
    )
    join_policy = models.CharField(
        _("how people join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.INVITE
    )
    public_page_enabled = models.BooleanField(_("public page switched on"), default=False)
    # "Off" means off: with the public page off nothing is published (calendar feed, guest
    # pages), unless a host keeps guest sign-up on for links they hand out themselves.
    guests_without_public_page = models.BooleanField(
        _("guest sign-up while the public page is off"),
        default=False,
        help_text=_(
            "With the public page off, Kring publishes nothing: no calendar feed and no guest "
            "sign-up pages. Switch this on to let people you send the link to still sign up "
            "for gatherings open to guests."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_guests(self) -> bool:
        """Guest sign-up pages exist: the public page is on, or a host kept guests on."""
        return self.public_page_enabled or self.guests_without_public_page

    def cover_url(self, key: str) -> str:
        return reverse("net:cover", args=[self.slug, key])

    @property
    def cover_is_public(self) -> bool:
        """Shown on the public page (and in link previews) while it is switched on."""
        return self.public_page_enabled

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Role(models.TextChoices):
    HOST = "host", _("host")
    MEMBER = "member", _("member")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    LEFT = "left", _("left")
    ERASED = "erased", _("account deleted")


# Memberships that have ended: the person left, or deleted their account (kept for history —
# ledger entries, minutes and introductions still point at it). Nothing counts them as members.
ENDED_STATUSES = (MembershipStatus.LEFT, MembershipStatus.ERASED)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        """Active and paused members (not those who left or deleted their account)."""
        return self.exclude(status__in=ENDED_STATUSES)

    def active(self) -> MembershipQuerySet:
        return self.filter(status=MembershipStatus.ACTIVE)

    def hosts(self) -> MembershipQuerySet:
        return self.filter(role=Role.HOST)


class Membership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    charter_accepted_at = models.DateTimeField(_("charter accepted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="membership_unique")
        ]
        indexes = [models.Index(fields=["network", "status"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.network}"

    @property
    def is_host(self) -> bool:
        return self.role == Role.HOST and self.status not in ENDED_STATUSES


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed invitation. Only a hash of the link's token is stored."""

    VALID_DAYS = 14

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_count = models.PositiveIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.network}"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def state_label(self) -> str:
        labels = {
            "accepted": _("accepted"),
            "revoked": _("revoked"),
            "expired": _("expired"),
            "pending": _("pending"),
        }
        return str(labels[self.state])
