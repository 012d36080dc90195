"""Contacts a network keeps to invite: imported from LinkedIn or Meetup, or met as guests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


class ContactSource(models.TextChoices):
    LINKEDIN = "linkedin", _("LinkedIn export")
    MEETUP = "meetup", _("Meetup export")
    CSV = "csv", _("CSV file")


class ContactStatus(models.TextChoices):
    TO_INVITE = "to_invite", _("to invite")
    INVITED = "invited", _("invited")
    MEMBER = "member", _("member")


class Contact(models.Model):
    """A person the hosts may invite. Without an e-mail address a contact is kept "to invite"
    (to reach another way) rather than dropped."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    company = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=ContactSource.choices)
    status = models.CharField(
        max_length=10, choices=ContactStatus.choices, default=ContactStatus.TO_INVITE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "email"], condition=~Q(email=""), name="contact_email_once"
            )
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.email


class ContactImport(models.Model):
    """An uploaded export between preview and import (the decoded text, the mapping)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=200)
    encoding = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=ContactSource.choices)
    text = models.TextField()
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.filename
