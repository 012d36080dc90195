from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile, TagKind


class KringSignupForm(SignupForm):  # type: ignore[misc]  # allauth is untyped
    display_name = forms.CharField(
        label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["display_name", "email", "password1", "password2"]


TAG_HELP = _("Separate with commas, e.g. webdesign, duurzaamheid")


class ProfileForm(forms.ModelForm[Profile]):
    passion_tags = forms.CharField(label=_("Passions (tags)"), required=False, help_text=TAG_HELP)
    talent_tags = forms.CharField(label=_("Talents (tags)"), required=False, help_text=TAG_HELP)
    offer_tags = forms.CharField(label=_("I offer (tags)"), required=False, help_text=TAG_HELP)
    seek_tags = forms.CharField(label=_("I seek (tags)"), required=False, help_text=TAG_HELP)
    photo = forms.ImageField(label=_("Photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "story",
            "passion",
            "talents",
            "offers",
            "seeks",
            "languages",
            "city",
            "company",
            "role",
            "visibility",
        ]
        widgets = {
            "story": forms.Textarea(attrs={"rows": 4}),
            "passion": forms.Textarea(attrs={"rows": 2}),
            "talents": forms.Textarea(attrs={"rows": 2}),
            "offers": forms.Textarea(attrs={"rows": 2}),
            "seeks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for kind in TagKind.values:
                self.fields[f"{kind}_tags"].initial = ", ".join(self.instance.tags_of(kind))

    def tag_data(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(f"{kind}_tags", "") for kind in TagKind.values}


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=80, initial="API")
