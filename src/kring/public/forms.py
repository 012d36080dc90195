from __future__ import annotations

from typing import Any

from django import forms

from .models import NotificationKind


class NotificationSettingsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in NotificationKind.choices:
            self.fields[value] = forms.BooleanField(label=label, required=False)
