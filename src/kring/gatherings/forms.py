from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.antispam import AntiSpamFormMixin
from kring.core.dates import BoundedDateField, BoundedDateTimeField
from kring.core.weblinks import WebURLField
from kring.networks.models import Membership, Network
from kring.people.models import User

from .models import AgendaItem, ContributionMethod, GatheringMode


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


RECURRENCE_CHOICES = [
    ("", _("Does not repeat")),
    ("weekly", _("Every week")),
    ("biweekly", _("Every two weeks")),
    ("monthly_weekday", _("Every month on the same weekday (e.g. second Tuesday)")),
    ("monthly_day", _("Every month on the same date")),
]


class GatheringForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    starts_at = BoundedDateTimeField(
        label=_("Starts"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ends_at = BoundedDateTimeField(
        label=_("Ends"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    online_url = WebURLField(label=_("Online link (for hybrid)"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )
    open_to_guests = forms.BooleanField(
        label=_("Open to guests (anyone may sign up on the public page)"), required=False
    )
    mode = forms.ChoiceField(
        label=_("Where"),
        choices=GatheringMode.choices,
        initial=GatheringMode.IN_PERSON,
        required=False,  # empty: in person, or hybrid when an online link is given
    )
    guest_contribution = forms.CharField(
        label=_("Guest contribution (€)"),
        required=False,
        max_length=12,
        help_text=_("Empty: not stated. 0: free. Otherwise the amount a guest pays."),
    )
    contribution_method = forms.ChoiceField(
        label=_("Paid"),
        choices=[("", _("—")), *ContributionMethod.choices],
        required=False,
    )
    follow_up_guests = forms.BooleanField(
        label=_("Afterwards, thank the guests who came with a mail on how to join"),
        required=False,
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        self.network = network
        initial = kwargs.get("initial") or {}
        if "guest_contribution_cents" in initial:
            cents = initial.pop("guest_contribution_cents")
            initial["guest_contribution"] = "" if cents is None else f"{cents / 100:.2f}"
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = (data.pop("guest_contribution", "") or "").strip().replace("€", "").strip()
        if not raw:
            data["guest_contribution_cents"] = None
        else:
            try:
                amount = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                self.add_error("guest_contribution", _("Write an amount such as 5 or 7,50."))
                return data
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                self.add_error("guest_contribution", _("Write an amount such as 5 or 7,50."))
                return data
            data["guest_contribution_cents"] = int(amount * 100)
        return data

    def _aware(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        # The browser sends wall-clock time in the network's zone, not the server's.
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return timezone.make_aware(naive, self.network.tzinfo)

    def clean_starts_at(self) -> datetime | None:
        return self._aware(self.cleaned_data.get("starts_at"))

    def clean_ends_at(self) -> datetime | None:
        return self._aware(self.cleaned_data.get("ends_at"))


class NewGatheringForm(GatheringForm):
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=RECURRENCE_CHOICES, required=False)
    occurrence_count = forms.IntegerField(
        label=_("Number of gatherings in the series"),
        min_value=2,
        max_value=52,
        required=False,
        initial=6,
    )


class EditGatheringForm(GatheringForm):
    scope = forms.ChoiceField(
        label=_("Apply to"),
        widget=forms.RadioSelect,
        initial="one",
        choices=[
            ("one", _("Only this gathering")),
            ("series", _("This and all later gatherings in the series")),
        ],
    )


class ExtendSeriesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of gatherings to add after the last one"),
        min_value=1,
        max_value=52,
        initial=6,
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def members_queryset(network: Network) -> Any:
    ids = Membership.objects.current().filter(network=network).values("user_id")
    return (
        User.objects.filter(pk__in=ids).select_related("profile").order_by("profile__display_name")
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "owner", "duration_minutes", "description", "prep_url", "prep_file"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = MemberChoiceField(
            members_queryset(network), required=False, label=_("Owner")
        )
        prep_url = self.fields["prep_url"]
        assert isinstance(prep_url, forms.URLField)
        prep_url.assume_scheme = "https"  # type: ignore[attr-defined]  # Django 6 has it, the stubs not yet


class ByoForm(forms.Form):
    label = forms.CharField(label=_("What is needed"), max_length=120)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 12, "data-editor": ""}),
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = MemberChoiceField(User.objects.none(), label=_("Owner"))
    due_date = BoundedDateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = members_queryset(network)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4, "data-editor": ""}),
    )


class CheckinCodeForm(forms.Form):
    code = forms.CharField(label=_("Code shown at the venue"), max_length=12)


class GuestForm(AntiSpamFormMixin, forms.Form):
    """The public sign-up: honeypot + proof of work (``kring.core.antispam``)."""

    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Your e-mail address"))
    consent = forms.BooleanField(
        label=_("The hosts may contact me about this network"), required=False
    )
    online = forms.BooleanField(label=_("I join online"), required=False)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address (optional)"), required=False)
    consent = forms.BooleanField(
        label=_("The hosts may contact them about this network"), required=False
    )
