"""Private 1:1 conversations between two members of a network, and reports to its hosts.

A conversation belongs to one network (the one it was started in: its hosts receive reports)
and has exactly two participants. Each participant row carries that person's own state:
what they have read, whether they muted it, and when they were last mailed about it.
Messages are never deleted; a sender may withdraw one ("message withdrawn"), which hides
its text from both sides but keeps it for a report already made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network

MAX_BODY = 4000


class Conversation(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    #: The two people, stored ordered (user_a < user_b) so a pair has one conversation.
    user_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: Who started it (None when an introduction opened it); counts towards the daily limit.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The introduction that opened it, if any (an id: rounds may be discarded or pruned).
    introduction_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user_a", "user_b"], name="conversation_pair_unique"
            ),
            models.CheckConstraint(
                condition=Q(user_a__lt=F("user_b")), name="conversation_ordered"
            ),
        ]
        indexes = [models.Index(fields=["started_by", "created_at"])]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    def other_id(self, user_id: int) -> int:
        return self.user_b_id if user_id == self.user_a_id else self.user_a_id


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: Messages with a higher id (from the other person) are unread.
    last_read_id = models.PositiveBigIntegerField(default=0)
    muted = models.BooleanField(_("muted"), default=False)
    #: Set when a message arrives while nothing was pending; cleared by reading or mailing.
    unmailed_since = models.DateTimeField(null=True, blank=True)
    last_mailed_at = models.DateTimeField(null=True, blank=True)
    #: The newest message id already mailed (a mail lists only newer ones).
    mailed_through_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="conversation_participant_unique"
            )
        ]
        indexes = [models.Index(fields=["unmailed_since"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class MessageKind(models.TextChoices):
    TEXT = "text", _("message")
    PROPOSAL = "proposal", _("proposed time and place")


class Via(models.TextChoices):
    WEB = "web", _("web")
    MAIL = "mail", _("e-mail")
    API = "api", _("API")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MessageKind.choices, default=MessageKind.TEXT)
    body = models.TextField(_("message"), max_length=MAX_BODY, blank=True)
    proposed_when = models.CharField(_("when"), max_length=120, blank=True)
    proposed_where = models.CharField(_("where"), max_length=200, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.WEB)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["sender", "created_at"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Report(models.Model):
    """A message reported to the network's hosts, with the text as it was when reported."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    body_snapshot = models.TextField(blank=True)
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once_per_message")
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"report {self.pk}"
