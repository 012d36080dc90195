"""Messages hosts write to (a part of) their network's members, kept for "From the hosts"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network

SUBJECT_MAX = 150
BODY_MAX = 5000


class Audience(models.TextChoices):
    ALL = "all", _("Everyone in the network")
    GOING = "going", _("Those going to a gathering")
    NOT_ANSWERED = "not_answered", _("Those who have not answered for a gathering")
    AGENDA_UNREAD = "agenda_unread", _("Those going who have not read its agenda")


#: Audiences that are about one gathering (it must be given, and be this network's).
GATHERING_AUDIENCES = {Audience.GOING, Audience.NOT_ANSWERED, Audience.AGENDA_UNREAD}


class HostMessage(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="host_messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    audience = models.CharField(_("to"), max_length=16, choices=Audience.choices)
    gathering = models.ForeignKey(
        "gatherings.Gathering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="host_messages",
        verbose_name=_("gathering"),
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    body = models.TextField(_("message"), max_length=BODY_MAX)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=[a.value for a in Audience]), name="hostmsg_audience"
            ),
            models.CheckConstraint(
                condition=~Q(subject="") & ~Q(body=""), name="hostmsg_not_empty"
            ),
        ]
        verbose_name = _("message from the hosts")
        verbose_name_plural = _("messages from the hosts")

    def __str__(self) -> str:
        return self.subject


class HostMessageRecipient(models.Model):
    """Who a message went to: members see the messages addressed to them."""

    message = models.ForeignKey(HostMessage, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="hostmsg_recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.user_id}"
