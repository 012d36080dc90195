from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kring.gatherings.models import Gathering, GatheringStatus

from .models import BODY_MAX, SUBJECT_MAX, Audience


class HostMessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("To"), choices=Audience.choices, initial=Audience.ALL)
    gathering = forms.ModelChoiceField(
        label=_("Gathering"),
        queryset=Gathering.objects.none(),
        required=False,
        empty_label=_("No gathering"),
        help_text=_("Needed for everyone but “Everyone in the network”."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; links become clickable."),
    )

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recent = timezone.now() - timedelta(days=30)
        self.fields["gathering"].queryset = (  # type: ignore[attr-defined]
            Gathering.objects.filter(network=network, ends_at__gte=recent)
            .select_related("network")
            .exclude(status=GatheringStatus.CANCELLED)
            .order_by("starts_at")
        )
        self.fields["gathering"].label_from_instance = _gathering_label  # type: ignore[attr-defined]


def _gathering_label(g: Gathering) -> str:
    local = timezone.localtime(g.starts_at, g.network.tzinfo)
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} · {g.title}"
