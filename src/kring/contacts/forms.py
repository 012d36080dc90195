from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FIELD_CHOICES = [
    ("", _("— leave out —")),
    ("name", _("Full name")),
    ("first_name", _("First name")),
    ("last_name", _("Last name")),
    ("email", _("E-mail address")),
    ("company", _("Organisation")),
    ("position", _("Position")),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (CSV)"),
        help_text=_(
            "LinkedIn: Settings → Data privacy → Get a copy of your data → Connections. "
            "Meetup: your group → Members → Export. Any spreadsheet saved as CSV works too."
        ),
    )


class MappingForm(forms.Form):
    def __init__(self, *args: Any, header: list[str], initial_map: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.header = header
        for i, title in enumerate(header):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=title or _("Column %(n)s") % {"n": i + 1},
                choices=FIELD_CHOICES,
                required=False,
                initial=initial_map[i] if i < len(initial_map) else "",
            )

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}") or "" for i in range(len(self.header))]
