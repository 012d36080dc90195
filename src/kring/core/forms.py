"""Small typed helpers for forms."""

from __future__ import annotations

from django import forms


def choice_field(field: forms.Field) -> forms.ChoiceField:
    """``form.fields[name]`` as the choice field it is, to set its ``choices`` in ``__init__``."""
    assert isinstance(field, forms.ChoiceField), field
    return field
