"""Small typed helpers for forms, and the form renderer: every ``{{ form }}`` /
``form.as_div`` uses Kring's field layout, and an empty choice reads "Choose…" instead of
Django's "---------"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates

OVERRIDES = {
    "django/forms/widgets/select.html": "kring/forms/select.html",
    "django/forms/label.html": "kring/forms/label.html",  # no colon after a label
}


def choice_field(field: forms.Field) -> forms.ChoiceField:
    """``form.fields[name]`` as the choice field it is, to set its ``choices`` in ``__init__``."""
    assert isinstance(field, forms.ChoiceField), field
    return field


class FormRenderer(DjangoTemplates):
    field_template_name = "kring/forms/field.html"

    def get_template(self, template_name: str) -> Any:
        return super().get_template(OVERRIDES.get(template_name, template_name))
