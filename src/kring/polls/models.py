"""Date polls: "which evening suits you?" — options, answers from members and guests."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.gatherings.models import Gathering
from kring.networks.models import Network


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    IF_NEED_BE = "if_need_be", _("if need be")
    NO = "no", _("no")


class Poll(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    open_to_guests = models.BooleanField(_("the gathering is open to guests"), default=False)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    share_token = models.CharField(max_length=40, unique=True, default=new_token)
    #: An existing gathering whose date the poll decides (filled in when the host picks).
    gathering = models.ForeignKey(
        Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_option = models.ForeignKey(
        "PollOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def is_closed(self) -> bool:
        return self.is_decided or (self.closes_at is not None and self.closes_at <= timezone.now())


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("place"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="poll_option_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class PollResponse(models.Model):
    """One set of answers per member (``user``) or guest (``email``): ``{option id: answer}``."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    answers = models.JSONField(default=dict)
    edit_token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"], condition=Q(user__isnull=False), name="poll_one_per_member"
            ),
            models.UniqueConstraint(
                fields=["poll", "email"], condition=Q(user__isnull=True), name="poll_one_per_guest"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="poll_member_or_guest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} on {self.poll_id}"

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user is not None else self.name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None
