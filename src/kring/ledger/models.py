"""The ledger: shared external costs, to the cent, append-only.

Truth is in the entries (expenses with their per-person shares, confirmed transfers). A
correction is a reversing expense (negative amount, ``reverses`` set, a reason); nothing is
hard-deleted. ``Balance`` keeps a running total per person, moved by the services in the same
transaction as every entry (so a page reads one row per person instead of summing the whole
history); the entries stay the truth: ``selectors.balances_from_entries`` derives the same
figures and ``kring ledger-check`` proves the totals match them.

Gatherings are referenced by id (``gathering_id``) rather than a foreign key so that the ledger
does not depend on the gatherings app's tables; the services check that the id belongs to the
same network when that app is installed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.files import RandomName
from kring.networks.models import Network

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    VENUE = "venue", pgettext_lazy("cost category", "venue")
    CATERING = "catering", _("catering")
    MATERIALS = "materials", _("materials")
    OTHER = "other", _("other")
    SOLIDARITY = "solidarity", _("solidarity pot")


#: What a member may choose when recording an expense (the pot entries are made by the pot).
EXPENSE_CATEGORIES = [c for c in Category.choices if c[0] != Category.SOLIDARITY]


class SplitMethod(models.TextChoices):
    CHECKED_IN = "checked_in", _("equally among the people checked in at the gathering")
    EQUAL = "equal", _("equally among chosen members")
    SHARES = "shares", _("by shares")
    EXACT = "exact", _("exact amounts")


class LedgerSettings(models.Model):
    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="ledger_settings"
    )
    show_costs_publicly = models.BooleanField(
        _("show the cost summary on the public page"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ledger settings")

    def __str__(self) -> str:
        return f"ledger settings of {self.network_id}"


class Expense(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="expenses")
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    split_method = models.CharField(max_length=12, choices=SplitMethod.choices)
    gathering_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    receipt = models.FileField(upload_to=RandomName("ledger/receipts"), blank=True)
    receipt_name = models.CharField(max_length=200, blank=True)  # the uploader's file name
    receipt_type = models.CharField(max_length=40, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The SHA-256 (hex) of the client's whole Idempotency-Key (services.idempotency_digest).
    idempotency_key = models.CharField(max_length=120, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reverses__isnull=True, amount_cents__gt=0)
                    | Q(reverses__isnull=False, amount_cents__lt=0)
                ),
                name="expense_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
                name="expense_reversal_has_reason",
            ),
            models.UniqueConstraint(
                fields=["network", "created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="expense_idempotency_unique",
            ),
        ]
        indexes = [models.Index(fields=["network", "spent_on"])]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self) -> str:
        return f"{self.description} ({self.amount_cents})"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class ExpenseShare(models.Model):
    """One person's part of one expense, fixed at the moment of recording."""

    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cents = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expense", "user"], name="share_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.cents}"


class BankAccount(models.Model):
    """A member's IBAN for this network; shown only to members who owe them money."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    iban = models.CharField(_("IBAN"), max_length=34)
    holder = models.CharField(_("account holder"), max_length=70)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="bank_account_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} ({self.iban_display})"

    @property
    def iban_display(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


class PaymentRequest(models.Model):
    """A settle-up suggestion turned into a request: ``payer`` is asked to pay ``payee``."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cents = models.BigIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(cents__gt=0), name="request_positive"),
            models.CheckConstraint(condition=~Q(payer=models.F("payee")), name="request_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.payer_id} → {self.payee_id}: {self.cents}"

    @property
    def reference(self) -> str:
        return f"Kring {self.network.slug} #{self.pk}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("not received")


class Transfer(models.Model):
    """A payment between members. It counts in the balances once the payee confirms it."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="transfers")
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cents = models.BigIntegerField(_("amount (cents)"))
    paid_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    request = models.ForeignKey(
        PaymentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cents__gt=0), name="transfer_positive"),
            models.CheckConstraint(condition=~Q(payer=models.F("payee")), name="transfer_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.payer_id} → {self.payee_id}: {self.cents} ({self.status})"


class PotContribution(models.Model):
    """Money a member puts into the solidarity pot (drawn on when a share is covered)."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cents = models.BigIntegerField(_("amount (cents)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(cents__gt=0), name="pot_contribution_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.cents}"


class SupportStatus(models.TextChoices):
    OPEN = "open", _("open")
    GRANTED = "granted", _("covered")
    DECLINED = "declined", _("declined")


class SupportRequest(models.Model):
    """A member asks the pot to cover (part of) their share. Only hosts see requests."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cents = models.BigIntegerField(_("amount (cents)"))
    note = models.CharField(_("note for the hosts"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=SupportStatus.choices, default=SupportStatus.OPEN
    )
    expense = models.OneToOneField(
        Expense, null=True, blank=True, on_delete=models.PROTECT, related_name="support_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(cents__gt=0), name="support_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.cents} ({self.status})"


class GatheringContribution(models.Model):
    """The cost-price contribution per attendee a host set for a gathering."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    gathering_id = models.PositiveBigIntegerField()
    cents = models.BigIntegerField()
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "gathering_id"], name="contribution_unique_gathering"
            ),
            models.CheckConstraint(condition=Q(cents__gte=0), name="contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"gathering {self.gathering_id}: {self.cents}"


class Balance(models.Model):
    """A person's running total in a network: paid − owed + sent − received, in cents.

    Positive: is owed money; negative: owes. Only ``services.move_balances`` changes it, with
    a conditional ``UPDATE … SET cents = cents + delta`` in the transaction that writes the
    entry (never read-check-write). Derived data: ``kring ledger-check`` compares every row
    with the entries, and ``--repair`` rebuilds them from the entries.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="balance_unique_person"),
        ]
        verbose_name = _("balance")
        verbose_name_plural = _("balances")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.cents}"
