from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import choice_field

from .models import CommitmentSettings, HeardVia
from .spam import AntiSpamForm


class ApplicationForm(AntiSpamForm):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Your e-mail address"))
    passion = forms.CharField(
        label=_("What are you passionate about?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    talents = forms.CharField(
        label=_("Your talents"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    gives = forms.CharField(
        label=_("What would you give the network?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seeks = forms.CharField(
        label=_("What do you seek?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    objective = forms.TypedChoiceField(
        label=_("Which objective would you like to work on?"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    heard_via = forms.ChoiceField(
        label=_("How did you hear of us?"), choices=HeardVia.choices, widget=forms.RadioSelect
    )
    accept_charter = forms.BooleanField(
        label=_("I have read the charter and accept it"), required=False
    )

    def __init__(
        self, *args: Any, objectives: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if objectives:
            choice_field(self.fields["objective"]).choices = [
                ("", _("No preference")),
                *list(objectives),
            ]
        else:
            del self.fields["objective"]


class CharterForm(forms.Form):
    text = forms.CharField(
        label=_("Charter"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown. What the network expects of its members."),
    )
    summary = forms.CharField(
        label=_("What changed, in one sentence"), max_length=500, required=False
    )


class AdviceForm(forms.Form):
    text = forms.CharField(
        label=_("Your advice to the hosts"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept")),
            ("waitlist", _("Waiting list")),
            ("decline", _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("A personal message (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CommitmentSettings
        fields = ["members_may_advise", "max_members", "publish_health", "low_engagement_threshold"]
