from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.dates import BoundedDateField
from kring.core.forms import choice_field
from kring.core.weblinks import WebURLField
from kring.networks.models import Membership, Network

from .models import MAX_AMOUNT, Objective, ReferralStatus, Seek, Unit, Visibility

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _member_choices(network: Network, *, exclude: int | None = None) -> list[tuple[Any, str]]:
    rows = (
        Membership.objects.current()
        .filter(network=network)
        .select_related("user__profile")
        .order_by("user__profile__display_name")
    )
    return [("", "—")] + [(m.user_id, m.user.display_name) for m in rows if m.user_id != exclude]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    custom_unit = forms.CharField(
        label=_("Custom unit"),
        required=False,
        max_length=40,
        help_text=_("Only for a custom unit, e.g. 'workshops'."),
    )
    target = forms.DecimalField(
        label=_("Target"), min_value=Decimal("0.01"), max_value=MAX_AMOUNT - 1, decimal_places=2
    )
    period_start = BoundedDateField(label=_("From"), widget=DATE)
    period_end = BoundedDateField(label=_("Until"), widget=DATE)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices)
    parent = forms.TypedChoiceField(
        label=_("Part of (optional)"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, network: Network, exclude: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        choice_field(self.fields["parent"]).choices = [("", "—")] + [
            (o.pk, o.title) for o in Objective.objects.for_network(network) if o.pk != exclude
        ]

    def clean_parent(self) -> Objective | None:
        pk = self.cleaned_data.get("parent")
        if not pk:
            return None
        return Objective.objects.for_network(self.network).filter(pk=pk).first()


class ContributionForm(forms.Form):
    amount = forms.DecimalField(
        label=pgettext_lazy("quantity", "Amount"),
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT - 1,
        decimal_places=2,
    )
    date = BoundedDateField(label=_("Date"), widget=DATE)
    for_whom = forms.CharField(
        label=_("For whom"),
        required=False,
        max_length=160,
        help_text=_("A starter, a school, a project…"),
    )
    beneficiary = forms.TypedChoiceField(
        label=_("Or for a member"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(
        label=pgettext_lazy("annotation", "Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_url = WebURLField(
        label=_("Link to evidence (optional)"), required=False, max_length=500
    )

    def __init__(
        self, *args: Any, network: Network, user_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["beneficiary"]).choices = _member_choices(network, exclude=user_id)


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Correct amount"),
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT - 1,
        decimal_places=2,
    )
    reason = forms.CharField(label=_("Why"), max_length=500)


class IntentionForm(forms.Form):
    seeks = forms.MultipleChoiceField(
        label=_("What I seek in this network"),
        choices=Seek.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    seeks_detail = forms.CharField(label=_("In my own words"), required=False, max_length=500)
    gives = forms.MultipleChoiceField(
        label=_("What I give"),
        choices=Seek.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gives_detail = forms.CharField(
        label=_("What I give, in my own words"), required=False, max_length=500
    )


class ReferralForm(forms.Form):
    to_user = forms.TypedChoiceField(label=_("To"), coerce=int)
    lead = forms.CharField(label=_("The lead"), max_length=200, help_text=_("Who needs what?"))
    contact = forms.CharField(label=_("How to reach them"), required=False, max_length=200)
    note = forms.CharField(
        label=pgettext_lazy("annotation", "Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, network: Network, user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["to_user"]).choices = _member_choices(network, exclude=user_id)


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.PASSED],
    )
    value = forms.DecimalField(
        label=_("Value in euros (optional)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10_000_000),
        decimal_places=2,
    )
