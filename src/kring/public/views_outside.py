"""Pages for the world outside: following by e-mail, and the embeddable widgets.

Widgets (``/n/<slug>/embed/...``) may be framed only by the origins a host listed
(``frame-ancestors`` for exactly those; every other page keeps ``'none'``). They set no
cookies (no forms, no session, no CSRF token), load nothing from elsewhere and count nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from kring.core.antispam import verify_submission
from kring.core.errors import DomainError
from kring.core.views_helpers import use_case
from kring.networks.access import access_network, public_network
from kring.networks.models import Network
from kring.people.auth import AuthedRequest

from . import embeds, followers, sources
from .api import FOLLOW_SCOPE
from .forms import EmbedSettingsForm, FollowForm


@never_cache
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug)
    form = FollowForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        verdict = verify_submission(request, form, scope=FOLLOW_SCOPE)
        if verdict.is_bot:
            done = True
        elif verdict.ok:
            with use_case(request, form=form) as attempt:
                followers.follow_network(
                    network=network,
                    email=form.cleaned_data["email"],
                    language=(get_language() or "")[:2],
                )
            done = bool(attempt)
    return render(
        request,
        "public/follow.html",
        {"network": network, "form": form, "done": done, "sent": followers.FOLLOW_SENT},
    )


@never_cache
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links); POST confirms."""
    follower = followers.follower_by_token(token)
    if follower is None:
        raise Http404(_("This link is not valid."))
    error = ""
    if request.method == "POST":
        try:
            follower = followers.confirm_follower(follower=follower)
        except DomainError as exc:
            error = str(exc)
    return render(
        request,
        "public/follow_confirm.html",
        {"follower": follower, "network": follower.network, "error": error},
    )


@never_cache
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the token authorises
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    follower = followers.follower_by_token(token)
    if follower is None:
        return render(request, "public/unfollow.html", {"invalid": True}, status=400)
    if request.method == "POST":
        follower = followers.unfollow(follower=follower)
    return render(
        request,
        "public/unfollow.html",
        {"follower": follower, "network": follower.network, "token": token},
    )


# --- Widgets ------------------------------------------------------------------------------


def _embed_response(
    request: HttpRequest, network: Network, template: str, context: dict
) -> HttpResponse:
    allowed = embeds.allowed_origins(network)
    theme = "dark" if request.GET.get("theme") == "dark" else "light"
    referer = request.headers.get("Referer", "")
    ref = urlsplit(referer)
    ref_origin = f"{ref.scheme}://{ref.netloc}".lower() if ref.scheme and ref.netloc else ""
    own = settings.SITE_URL.rstrip("/").lower()
    refused = bool(ref_origin) and ref_origin != own and ref_origin not in allowed
    response = render(
        request,
        "public/embed/refused.html" if refused else template,
        {
            "network": network,
            "theme": theme,
            "origin": ref_origin,
            "page_url": request.build_absolute_uri(
                reverse("public:network", kwargs={"slug": network.slug})
            ),
            **context,
        },
        status=403 if refused else 200,
    )
    response._csp_config = embeds.csp_for(allowed)  # type: ignore[attr-defined]
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


@require_GET
@xframe_options_exempt  # frame-ancestors (CSP) decides, per network
def embed_gatherings(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug)
    rows = [
        {"obj": g, "signup_url": sources.guest_signup_url(network, g)}
        for g in sources.upcoming_open_gatherings(network)[:10]
    ]
    return _embed_response(request, network, "public/embed/gatherings.html", {"gatherings": rows})


@require_GET
@xframe_options_exempt
def embed_buttons(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network(slug)
    return _embed_response(
        request,
        network,
        "public/embed/buttons.html",
        {"ask_url": sources.ask_url(network), "apply_url": sources.apply_url(network)},
    )


@login_required
def embed_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    current = embeds.settings_for(acc.network)
    form = EmbedSettingsForm(request.POST or None, initial={"origins": current.origins})
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            embeds.set_embed_origins(
                actor=request.user, network=acc.network, origins=form.cleaned_data["origins"]
            )
        if done:
            messages.success(request, _("The widget settings are saved."))
            return redirect("public:embed_settings", slug=slug)
    base = settings.SITE_URL.rstrip("/")
    return render(
        request,
        "public/embed_settings.html",
        {
            "network": acc.network,
            "form": form,
            "gatherings_src": base + reverse("public:embed_gatherings", kwargs={"slug": slug}),
            "buttons_src": base + reverse("public:embed_buttons", kwargs={"slug": slug}),
            "followers": followers.follower_counts(acc.network),
        },
    )
