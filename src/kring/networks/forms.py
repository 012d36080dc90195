from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Network, Role


class NetworkSettingsForm(forms.ModelForm[Network]):
    class Meta:
        model = Network
        fields = [
            "name",
            "city",
            "kind",
            "purpose",
            "for_whom",
            "offer_to_third_parties",
            "charter",
            "join_policy",
            "public_page_enabled",
            "guests_without_public_page",
            "language",
            "time_zone",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "for_whom": forms.Textarea(attrs={"rows": 2}),
            "offer_to_third_parties": forms.Textarea(attrs={"rows": 3}),
            "charter": forms.Textarea(attrs={"rows": 6}),
        }


class NewNetworkForm(NetworkSettingsForm):
    class Meta(NetworkSettingsForm.Meta):
        fields = ["slug", *NetworkSettingsForm.Meta.fields]


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Who do you invite?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Anna de Vries, anna@example.org"}),
        help_text=_("One person per line: a name and an e-mail address, or just an address."),
    )
    csv_file = forms.FileField(
        label=_("Or upload a CSV file (name, e-mail)"),
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.MEMBER, required=False
    )

    MAX_CSV_BYTES = 1024 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("emails") or ""
        upload = data.get("csv_file")
        if upload:
            if upload.size > self.MAX_CSV_BYTES:
                raise forms.ValidationError(_("The CSV file is too large (at most 1 MB)."))
            raw = upload.read()
            try:
                text += "\n" + raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text += "\n" + raw.decode("latin-1")
        if not text.strip():
            raise forms.ValidationError(_("Add at least one e-mail address."))
        data["text"] = text
        return data


class AcceptCharterForm(forms.Form):
    accept_charter = forms.BooleanField(
        label=_("I have read the charter and accept it"), required=True
    )
