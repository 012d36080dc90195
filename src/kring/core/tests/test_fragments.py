"""Unbound forms rendered once per process (kring.core.fragments.form_html): a form with other
initial values, choices or language gets its own HTML; a bound form is always rendered."""

from __future__ import annotations

from django import forms
from django.utils import translation

from kring.core.fragments import form_html


class PickForm(forms.Form):
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    note = forms.CharField(required=False)


def test_the_cached_form_is_the_form() -> None:
    form = PickForm(initial={"colour": "blue", "note": "hoi"})
    assert form_html(form) == form.as_div()
    assert form_html(PickForm(initial={"colour": "blue", "note": "hoi"})) == form.as_div()


def test_other_initial_values_other_html() -> None:
    blue = str(form_html(PickForm(initial={"colour": "blue"})))
    red = str(form_html(PickForm(initial={"colour": "red"})))
    assert blue != red
    assert red == PickForm(initial={"colour": "red"}).as_div()


def test_other_choices_other_html() -> None:
    form_html(PickForm())
    form = PickForm()
    form.fields["colour"].choices = [("green", "Green")]  # type: ignore[attr-defined]
    html = form_html(form)
    assert "Green" in html and "Red" not in html


def test_per_language() -> None:
    class NameForm(forms.Form):
        name = forms.CharField(label=translation.gettext_lazy("Name"), help_text="x")

    with translation.override("en"):
        english = form_html(NameForm())
    with translation.override("nl"):
        dutch = form_html(NameForm())
        assert dutch == NameForm().as_div()
    assert english != dutch


def test_a_bound_form_is_rendered_afresh() -> None:
    form_html(PickForm())
    bound = PickForm(data={"colour": "purple"})
    html = form_html(bound)
    assert html == bound.as_div()
    assert "errorlist" in html
