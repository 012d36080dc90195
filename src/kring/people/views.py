from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.files import serve_file
from kring.core.views_helpers import use_case
from kring.networks.selectors import networks_for_user, profile_for
from kring.people.auth import AuthedRequest

from . import services
from .forms import ProfileForm, TokenForm
from .models import ApiToken, TagKind


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    request.no_store = True  # type: ignore[attr-defined]
    profile = services.ensure_profile(request.user)

    return render(
        request,
        "people/me.html",
        {
            "profile": profile_for(request.user) if profile else None,
            "networks": networks_for_user(request.user),
            "kinds": TagKind,
        },
    )


@login_required
def my_photo(request: AuthedRequest) -> HttpResponseBase:
    profile = getattr(request.user, "profile", None)
    if profile is None or not profile.photo:
        raise Http404(_("No photo."))
    return serve_file(request, profile.photo, filename="photo.jpg", inline=True)


@login_required
def edit_profile(request: AuthedRequest) -> HttpResponse:
    request.no_store = True  # type: ignore[attr-defined]
    profile = services.ensure_profile(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in ProfileForm.Meta.fields}
        with use_case(request, form=form) as done:
            services.update_profile(
                actor=request.user,
                profile=profile,
                data=data,
                tags=form.tag_data(),
                photo=form.cleaned_data.get("photo") or None,
                remove_photo=bool(form.cleaned_data.get("remove_photo")),
            )
        if done:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:me")
    return render(request, "people/edit.html", {"form": form, "profile": profile})


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    request.no_store = True  # type: ignore[attr-defined]
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def revoke_token(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    with use_case(request, success=_("The token is revoked.")):
        services.revoke_api_token(actor=request.user, token=token)
    return redirect("people:tokens")
