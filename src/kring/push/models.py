"""A browser's push subscription: where the push service accepts messages for one device."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Longest endpoint URL we accept (the big push services use 150–500 characters).
ENDPOINT_MAX = 800


class PushSubscription(models.Model):
    """One device (a browser profile) of one person. The endpoint is unique: a browser has one
    subscription per site, so registering it again (or from another account on the same
    browser) moves the row instead of duplicating it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.CharField(max_length=ENDPOINT_MAX, unique=True)
    p256dh = models.CharField(max_length=100)  # the browser's P-256 key, base64url (65 bytes)
    auth = models.CharField(max_length=40)  # the browser's auth secret, base64url (16 bytes)
    device = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)  # in a row; 0 after a success

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.device or self.endpoint[:40]}"
