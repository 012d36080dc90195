"""Forms for requests from third parties: asking, triage, feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.antispam import AntiSpamFormMixin


class AskForm(AntiSpamFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("We send you a link to follow your request.")
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), required=False, max_length=160
    )
    need = forms.CharField(
        label=_("What do you need help with?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    tags = forms.CharField(
        label=_("Topics (optional)"),
        required=False,
        max_length=300,
        help_text=_("A few words, separated by commas, e.g. 'bookkeeping, website'."),
    )


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    note = forms.CharField(
        label=_("Note or kind message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("On declining, this message is e-mailed to the requester. Be kind."),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well were you helped?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
