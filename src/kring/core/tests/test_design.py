"""The design system's server side: form fields, icons, avatars."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template

from kring.core.icons import icon_names


@pytest.mark.django_db
def test_login_form_puts_the_checkbox_left_of_its_label_without_colons(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    check = re.search(r'<div class="check">(.*?)</div>', html, re.S)
    assert check is not None
    assert check.group(1).index('type="checkbox"') < check.group(1).index("<label")
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", html)
    assert labels and not any(label.strip().endswith(":") for label in labels)


def test_icon_tag_points_into_the_sprite() -> None:
    html = Template('{% icon "calendar" %}{% icon "bell" "sm" label="Alerts" %}').render(Context())
    assert 'aria-hidden="true"' in html and "icons.svg#calendar" in html
    assert 'class="icon sm" role="img" aria-label="Alerts"' in html


def test_every_icon_used_in_templates_is_in_the_sprite() -> None:
    from pathlib import Path

    import kring

    root = Path(kring.__file__).parent
    names = set(icon_names())
    used = set()
    for path in root.rglob("*.html"):
        used |= set(re.findall(r'{% icon "([a-z0-9-]+)"', path.read_text()))
    for path in root.rglob("apps.py"):
        used |= set(re.findall(r'icon="([a-z0-9-]+)"', path.read_text()))
    assert used and used <= names, sorted(used - names)


@pytest.mark.django_db
def test_avatar_is_initials_without_a_photo(member: Any) -> None:
    html = Template('{% avatar person "sm" %}').render(Context({"person": member}))
    assert 'class="avatar sm' in html and ">MM<" in html and 'aria-hidden="true"' in html


def test_an_empty_choice_says_choose() -> None:
    from django import forms

    class Form(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])

    from django.utils import translation

    with translation.override("en"):
        html = str(Form())
    assert "Choose…" in html and "---------" not in html


@pytest.mark.django_db
def test_a_model_fields_empty_choice_says_choose_too() -> None:
    """Django 6 labels the empty choice of a model field "- Select an option -"."""
    from django import forms
    from django.utils import translation

    from kring.gatherings.models import ActionItem

    class Form(forms.ModelForm):
        class Meta:
            model = ActionItem
            fields = ["owner"]

    for language, choose in (("en", "Choose…"), ("nl", "Kies…")):
        with translation.override(language):
            html = str(Form())
        assert choose in html and "Select an option" not in html and "---------" not in html


def test_a_label_has_no_colon_even_when_a_template_asks_for_label_tag() -> None:
    from django import forms
    from django.template import Template
    from django.utils import translation

    class Form(forms.Form):
        name = forms.CharField(label="Name")

    for language in ("en", "nl"):
        with translation.override(language):
            html = Template("{{ form.name.label_tag }}").render(Context({"form": Form()}))
        assert html == '<label for="id_name">Name</label>', html
