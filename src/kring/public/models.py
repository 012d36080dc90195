"""Notification settings per member and kind, and the weekly digest's send log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


class NotificationKind(models.TextChoices):
    DIGEST = "digest", _("Weekly digest")
    GATHERINGS = "gatherings", _("Gatherings: invitations and agenda reminders")
    ACTIONS = "actions", _("Reminders about my action items")
    KNOWLEDGE = "knowledge", _("Comments on my posts")
    REQUESTS = "requests", _("Requests for help that match my talents")


class NotificationSetting(models.Model):
    """An explicit choice; without a row a kind is on (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network", "kind"], name="notification_setting_unique"
            ),
        ]
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}/{self.network_id}/{self.kind}={self.enabled}"


class DigestSend(models.Model):
    """Claimed before a digest is sent: the unique week key makes the send happen once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # ISO week, e.g. "2026-W48"
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "network", "week"], name="digest_once_a_week"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.network_id}/{self.week}"
