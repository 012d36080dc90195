from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.antispam import AntiSpamFormMixin


class FollowForm(AntiSpamFormMixin, forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)


ORIGIN_RE = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


class EmbedSettingsForm(forms.Form):
    origins = forms.CharField(
        label=_("Websites that may show the widgets"),
        help_text=_(
            "One origin per line, such as https://www.example.org (no paths, no wildcards)."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def clean_origins(self) -> str:
        lines = [o.strip().rstrip("/").lower() for o in self.cleaned_data["origins"].split()]
        bad = [o for o in lines if not ORIGIN_RE.match(o)]
        if bad:
            raise forms.ValidationError(
                _("Not a website origin: %(bad)s. Write it as https://www.example.org."),
                params={"bad": ", ".join(bad[:3])},
            )
        if len(lines) > 20:
            raise forms.ValidationError(_("At most 20 websites."))
        return "\n".join(dict.fromkeys(lines))
