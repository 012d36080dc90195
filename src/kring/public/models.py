"""The weekly digest's send log (choices about mail live in ``kring.notify``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


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


class Follower(models.Model):
    """An outsider who follows a network by e-mail (no account), after double opt-in.

    Nothing but the confirmation mail is sent before ``confirmed_at`` is set; an unsubscribed
    follower keeps the row (so a repeated sign-up starts a new opt-in, nothing is lost).
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "email"], name="follower_once_per_network")
        ]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self) -> str:
        return f"{self.email} → {self.network_id}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class FollowerMail(models.Model):
    """A mail sent to a follower, claimed first: ``gathering:<id>`` or ``roundup:<month>``."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="mails")
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "key"], name="follower_mail_once")
        ]

    def __str__(self) -> str:
        return f"{self.follower_id}:{self.key}"


class EmbedSettings(models.Model):
    """The origins (``https://example.org``) where the network's widgets may be framed."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="embed_settings")
    origins = models.TextField(_("allowed origins"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"embeds of {self.network_id}"

    @property
    def origin_list(self) -> list[str]:
        return [o for o in self.origins.split() if o]
