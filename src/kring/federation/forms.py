from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BlockKind


class FederationForm(forms.Form):
    enabled = forms.BooleanField(label=_("Put this network on the fediverse"), required=False)
    approve_followers = forms.BooleanField(
        label=_("Hosts approve new followers"),
        required=False,
        help_text=_("When off, anyone on the fediverse can follow the network at once."),
    )


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to block"), choices=BlockKind.choices)
    value = forms.CharField(
        label=_("Domain or account address"),
        max_length=500,
        help_text=_("An instance like mastodon.example, or an account's https:// address."),
    )
