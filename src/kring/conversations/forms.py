from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_BODY
from .services import MAX_REASON


class MessageForm(forms.Form):
    # No max_length here: the service says how long is too long, in one message.
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_BODY}),
        strip=False,
        required=False,
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you report this message?"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON}),
        required=False,
    )
