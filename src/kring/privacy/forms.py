from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=20,
        help_text=_("This cannot be undone."),
    )
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() not in {"DELETE", "VERWIJDER"}:
            raise forms.ValidationError(_("Type DELETE to confirm."))
        return value

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):  # type: ignore[attr-defined]
            raise forms.ValidationError(_("This is not your password."))
        return value
