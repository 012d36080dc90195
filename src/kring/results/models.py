"""Results: objectives, contributions, requests from third parties, intentions, referrals."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.core.weblinks import validate_web_url
from kring.networks.models import Network

MAX_AMOUNT = Decimal("1000000000")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    PEOPLE = "people", _("people helped")
    SESSIONS = "sessions", _("sessions given")
    PROJECTS = "projects", _("projects delivered")
    EUROS = "euros", _("euros raised for a cause")
    CUSTOM = "custom", _("custom unit")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members only")


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def for_network(self, network: Network) -> ObjectiveQuerySet:
        return self.filter(network=network)

    def public(self) -> ObjectiveQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)


class Objective(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="objectives")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.HOURS)
    custom_unit = models.CharField(
        _("custom unit"),
        max_length=40,
        blank=True,
        help_text=_("Only for a custom unit, e.g. 'workshops'."),
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    visibility = models.CharField(
        _("who may see it"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="objective_target_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="objective_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="objective_not_own_parent"
            ),
        ]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title

    @property
    def unit_label(self) -> str:
        return self.custom_unit if self.unit == Unit.CUSTOM else str(self.get_unit_display())

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class Contribution(models.Model):
    """Append-only: a correction is a new row (``corrects`` set) carrying the difference."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="contributions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    for_whom = models.CharField(_("for whom"), max_length=160, blank=True)
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beneficiary (a member)"),
    )
    request = models.ForeignKey(
        "HelpRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    evidence_url = models.URLField(
        _("link to evidence"), blank=True, max_length=500, validators=[validate_web_url]
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by_requester = models.BooleanField(default=False)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=False) | Q(amount__gt=0),
                name="contribution_amount_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["objective", "date"]),
            models.Index(fields=["network", "date"]),
        ]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.amount} → {self.objective_id}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


class RequestStatus(models.TextChoices):
    NEW = "new", _("waiting for the hosts")
    OPEN = "open", _("open")
    MATCHED = "matched", _("matched")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CLOSED = "closed", _("closed")


#: Allowed status moves after triage (triage itself: new → open, or new → closed).
TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.NEW: {RequestStatus.OPEN, RequestStatus.CLOSED},
    RequestStatus.OPEN: {RequestStatus.MATCHED, RequestStatus.CLOSED},
    RequestStatus.MATCHED: {RequestStatus.IN_PROGRESS, RequestStatus.OPEN, RequestStatus.CLOSED},
    RequestStatus.IN_PROGRESS: {RequestStatus.DONE, RequestStatus.CLOSED},
    RequestStatus.DONE: {RequestStatus.CLOSED},
    RequestStatus.CLOSED: set(),
}


class HelpRequest(models.Model):
    """A request for help from a third party ("hulpvraag"), filed without an account."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="help_requests")
    name = models.CharField(_("your name"), max_length=120)
    email = models.EmailField(_("your e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    need = models.TextField(_("what do you need help with?"), max_length=4000)
    tags = models.JSONField(_("topics"), default=list, blank=True)
    language = models.CharField(max_length=8, default="nl")
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    declined = models.BooleanField(default=False)
    host_note = models.TextField(_("note from the hosts"), blank=True, max_length=2000)
    decline_message = models.TextField(_("message to the requester"), blank=True, max_length=2000)
    token_hash = models.CharField(max_length=64, unique=True)
    token_salt = models.CharField(max_length=32)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    feedback_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback_text = models.TextField(blank=True, max_length=2000)
    feedback_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_rating__isnull=True)
                | Q(feedback_rating__gte=1, feedback_rating__lte=5),
                name="helprequest_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="helprequest_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")

    def __str__(self) -> str:
        return f"{self.name}: {self.need[:40]}"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def token_for_salt(salt: str) -> str:
        """The requester's secret link token: needs SECRET_KEY and the stored salt."""
        key = ("kring.results.request:" + settings.SECRET_KEY).encode()
        return hmac.new(key, salt.encode(), hashlib.sha256).hexdigest()[:40]

    @property
    def token(self) -> str:
        return self.token_for_salt(self.token_salt)

    @property
    def is_open_for_help(self) -> bool:
        return self.status in (RequestStatus.OPEN, RequestStatus.MATCHED)


class HelperHow(models.TextChoices):
    VOLUNTEERED = "volunteered", _("volunteered")
    ASKED = "asked", _("asked by a host")


class RequestHelper(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="helpers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=12, choices=HelperHow.choices)
    accepted = models.BooleanField(null=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="requesthelper_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.request_id}"


class Seek(models.TextChoices):
    LEADS = "leads", _("new clients or leads")
    KNOWLEDGE = "knowledge", _("knowledge")
    SPARRING = "sparring", _("a sparring partner")
    GOAL = "goal", _("to contribute to the goal")
    PEOPLE = "people", _("to meet people")
    OTHER = "other", _("something else")


class Intention(models.Model):
    """What a member openly seeks from the network and what they give."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="intentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intentions"
    )
    seeks = models.JSONField(_("what I seek here"), default=list)
    seeks_detail = models.CharField(_("in my own words"), max_length=500, blank=True)
    gives = models.JSONField(_("what I give here"), default=list)
    gives_detail = models.CharField(_("what I give, in my own words"), max_length=500, blank=True)
    updated_at = models.DateTimeField()
    review_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="intention_unique")]
        verbose_name = _("intention")
        verbose_name_plural = _("intentions")

    def __str__(self) -> str:
        return f"{self.user} @ {self.network_id}"


class ReferralStatus(models.TextChoices):
    PASSED = "passed", _("passed on")
    CONTACTED = "contacted", _("contacted")
    WON = "won", _("won")
    NOT_WON = "not_won", _("not won")


class Referral(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="referrals")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    lead = models.CharField(_("the lead"), max_length=200)
    contact = models.CharField(_("how to reach them"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PASSED
    )
    value_cents = models.PositiveBigIntegerField(_("value (cents)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_user=models.F("to_user")), name="referral_not_to_self"
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return self.lead
