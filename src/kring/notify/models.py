"""A person's choices per kind and channel, and the delivery log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


class Preference(models.Model):
    """An explicit choice; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=16)
    mode = models.CharField(max_length=8)  # "now", "daily" or "off" (what the channel offers)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="notify_preference_unique"
            ),
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}/{self.kind}/{self.channel}={self.mode}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("sending")  # claimed; being sent (or its sender crashed)
    SENT = "sent", _("sent")
    BUNDLED = "bundled", _("waiting for the daily bundle")
    SKIPPED = "skipped", _("not sent (by choice)")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One message to one person on one channel. ``key`` is unique per channel: the
    SHA-256 of the recipient and the caller's idempotency key, so a retried task finds the
    row and sends nothing twice (and a long key never collides with another by truncation)."""

    key = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=200)  # readable, possibly shortened
    channel = models.CharField(max_length=16)
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(max_length=254, blank=True)
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)  # kept only until a bundle is sent
    url = models.CharField(max_length=500, blank=True)
    reason = models.CharField(max_length=60, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    bundle = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "channel"], name="notify_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "channel", "user"], name="notify_delivery_status"),
            models.Index(fields=["created_at"], name="notify_delivery_created"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.kind} → {self.address or self.user_id} ({self.channel}, {self.status})"
