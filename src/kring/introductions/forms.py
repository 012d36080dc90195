from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import choice_field

from .models import Cadence, Outcome


class ProposeForm(forms.Form):
    when = forms.CharField(
        label=_("When"), max_length=120, help_text=_("For example: Thursday 3 December, 12:30")
    )
    where = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("A café, an office, a walk, or a video call"),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        widget=forms.RadioSelect,
        choices=[
            (Outcome.MET, _("We met")),
            (Outcome.SKIPPED, _("We skipped this one")),
            (Outcome.PENDING, _("Not yet")),
        ],
    )
    note = forms.CharField(
        label=_("Private note (only you see it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PreferenceForm(forms.Form):
    skip_next = forms.BooleanField(label=_("Skip me in the next round"), required=False)
    paused = forms.BooleanField(
        label=_("Pause introductions until I switch them back on"), required=False
    )


class PersonForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choice_field(self.fields["user"]).choices = [("", "—"), *people]


class TablesForm(forms.Form):
    gathering_id = forms.TypedChoiceField(label=_("Gathering"), coerce=int)
    table_size = forms.IntegerField(
        label=_("People per table"), min_value=2, max_value=12, initial=5
    )
    rotations = forms.IntegerField(label=_("Rotations"), min_value=1, max_value=8, initial=3)

    def __init__(self, *args: object, gatherings: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choice_field(self.fields["gathering_id"]).choices = [("", "—"), *gatherings]


class SwapForm(forms.Form):
    user_a = forms.TypedChoiceField(label=_("Swap"), coerce=int)
    user_b = forms.TypedChoiceField(label=_("with"), coerce=int)

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choice_field(self.fields["user_a"]).choices = people
        choice_field(self.fields["user_b"]).choices = people


class SeatForm(forms.Form):
    """Seat someone who came after the table plan was made (values "guest:<id>" or
    "member:<id>"), at a chosen table or wherever there is room."""

    person = forms.ChoiceField(label=_("Who"))
    table = forms.TypedChoiceField(label=_("Table"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: object, people: list[tuple[str, str]], tables: int, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choice_field(self.fields["person"]).choices = [("", _("Choose…")), *people]
        choice_field(self.fields["table"]).choices = [
            ("", _("The smallest table, in every rotation")),
            *((str(t), _("Table %(n)s") % {"n": t + 1}) for t in range(tables)),
        ]

    def seat(self) -> dict[str, int | None]:
        """The service's keyword arguments: ``guest_id`` or ``user_id``, and ``table``."""
        kind, _sep, pk = self.cleaned_data["person"].partition(":")
        return {
            "guest_id": int(pk) if kind == "guest" else None,
            "user_id": int(pk) if kind == "member" else None,
            "table": self.cleaned_data["table"],
        }


class ScheduleForm(forms.Form):
    cadence = forms.ChoiceField(label=_("Scheduled rounds"), choices=Cadence.choices)
    publish_automatically = forms.BooleanField(
        label=_("Publish scheduled rounds automatically"),
        required=False,
        help_text=_("Otherwise a scheduled round waits as a preview for a host."),
    )
