from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.antispam import AntiSpamFormMixin
from kring.gatherings.forms import LocalDateTimeInput

from .models import Answer, PollOption
from .services import MAX_OPTIONS, OptionIn


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


class PollForm(forms.Form):
    title = forms.CharField(label=_("What are we planning?"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    closes_at = forms.DateTimeField(
        label=_("Answers close"), widget=LocalDateTimeInput(), required=False
    )
    open_to_guests = forms.BooleanField(
        label=_("Guests may answer through a share link, and the gathering is open to guests"),
        required=False,
    )

    def __init__(self, *args: Any, tz: zoneinfo.ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz
        for i in range(1, MAX_OPTIONS + 1):
            self.fields[f"date_{i}"] = forms.DateField(
                label=_("Date %(n)s") % {"n": i}, widget=DateInput(), required=False
            )
            self.fields[f"start_{i}"] = forms.TimeField(
                label=_("from"), widget=TimeInput(), required=False
            )
            self.fields[f"end_{i}"] = forms.TimeField(
                label=pgettext_lazy("time of day", "until"), widget=TimeInput(), required=False
            )
            self.fields[f"venue_{i}"] = forms.CharField(
                label=_("place (optional)"), max_length=200, required=False
            )

    def option_rows(self) -> list[list[Any]]:
        return [
            [self[f"date_{i}"], self[f"start_{i}"], self[f"end_{i}"], self[f"venue_{i}"]]
            for i in range(1, MAX_OPTIONS + 1)
        ]

    def clean_closes_at(self) -> datetime | None:
        value = self.cleaned_data.get("closes_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, self.tz)
        elif value is not None:
            value = timezone.make_aware(value.replace(tzinfo=None), self.tz)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["options"] = self.options()
        return data

    def options(self) -> list[OptionIn]:
        out = []
        for i in range(1, MAX_OPTIONS + 1):
            day = self.cleaned_data.get(f"date_{i}")
            start = self.cleaned_data.get(f"start_{i}")
            end = self.cleaned_data.get(f"end_{i}")
            if day is None:
                continue
            if start is None or end is None:
                raise forms.ValidationError(
                    _("Give a start and end time for date %(n)s."), params={"n": i}
                )
            out.append(
                OptionIn(
                    starts_at=timezone.make_aware(datetime.combine(day, start), self.tz),
                    ends_at=timezone.make_aware(datetime.combine(day, end), self.tz),
                    venue=self.cleaned_data.get(f"venue_{i}") or "",
                )
            )
        return out


class AnswerForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        options: list[PollOption],
        current: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        self.poll_options = options
        for o in options:
            self.fields[f"option_{o.pk}"] = forms.ChoiceField(
                label=str(o.pk),
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.get(str(o.pk)),
            )

    def rows(self) -> list[tuple[PollOption, Any]]:
        return [(o, self[f"option_{o.pk}"]) for o in self.poll_options]

    def answers(self) -> dict[str, str]:
        return {
            str(o.pk): self.cleaned_data[f"option_{o.pk}"]
            for o in self.poll_options
            if self.cleaned_data.get(f"option_{o.pk}")
        }


class GuestAnswerForm(AntiSpamFormMixin, AnswerForm):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
