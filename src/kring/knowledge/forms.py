from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.core.forms import choice_field
from kring.networks.models import Network

from . import links
from .models import Post, PostVisibility


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences; shown in lists and previews."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 14, "data-editor": ""}),
        help_text=_("Use the toolbar for bold, headings, lists, links and images."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=PostVisibility.choices,
        widget=forms.RadioSelect,
        initial=PostVisibility.MEMBERS,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, e.g. marketing, financiering"),
    )
    gathering_ref = forms.TypedChoiceField(
        label=_("What we learned at a gathering"), required=False, coerce=int, empty_value=None
    )
    objective_ref = forms.TypedChoiceField(
        label=_("Part of an objective"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gatherings = links.gathering_choices(network)
        objectives = links.objective_choices(network)
        if gatherings:
            choice_field(self.fields["gathering_ref"]).choices = [("", "—"), *gatherings]
        else:
            del self.fields["gathering_ref"]
        if objectives:
            choice_field(self.fields["objective_ref"]).choices = [("", "—"), *objectives]
        else:
            del self.fields["objective_ref"]

    @staticmethod
    def initial_for(post: Post) -> dict[str, Any]:
        return {
            "title": post.title,
            "summary": post.summary,
            "body": post.body,
            "visibility": post.visibility,
            "tags": ", ".join(t.name for t in post.tags.all()),
            "gathering_ref": post.gathering_ref,
            "objective_ref": post.objective_ref,
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "data-editor": ""}),
    )


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("JPEG, PNG, GIF or WebP, at most 5 MB."))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search posts and people"), max_length=100, required=False)
