from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_GET

from kring.core.covers import og_image
from kring.core.http import storable
from kring.federation.views_ap import actor as federation_actor
from kring.federation.views_ap import wants_activity_json
from kring.knowledge.selectors import get_post
from kring.networks.access import membership_for, network_by_slug
from kring.networks.models import Membership, Network
from kring.notify import services as notify_services

from . import cache as page_cache
from . import selectors, services, sources, structured
from .share import clean_instance, mastodon_url, share_links


def _viewer_key(request: HttpRequest) -> str:
    # The page differs per viewer (the members' button, the CSRF token in the forms).
    user = getattr(request, "user", None)
    uid = user.pk if user is not None and user.is_authenticated else 0
    return f"{uid}:{request.COOKIES.get('csrftoken', '')}"


def _stamp(request: HttpRequest, slug: str) -> tuple[Network | None, datetime | None]:
    """The network (if public) and its change stamp, computed once per request."""
    cached = getattr(request, "_public_stamp", None)
    if cached is None:
        network = Network.objects.filter(slug=slug, public_page_enabled=True).first()
        cached = (network, selectors.last_modified(network) if network is not None else None)
        request._public_stamp = cached  # type: ignore[attr-defined]
    return cached


def _etag(request: HttpRequest, slug: str) -> str | None:
    network, stamp = _stamp(request, slug)
    if network is None or stamp is None:
        return None
    return selectors.etag(
        network, language=get_language(), viewer=_viewer_key(request), stamp=stamp
    )


def _last_modified(request: HttpRequest, slug: str) -> datetime | None:
    return _stamp(request, slug)[1]


def _cacheable(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["Cookie", "Accept-Language", "Accept"])
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    return response


@storable  # the same for every visitor but the members' button: ETag per viewer
def network_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's public page; asked for ``application/activity+json`` (content
    negotiation), the network's fediverse actor instead."""
    if wants_activity_json(request):
        return federation_actor(request, slug)
    if page_cache.cacheable_request(request):
        # Anonymous visitors all see the same page: served whole from the cache.
        network = network_by_slug(slug)
        if network is not None and network.public_page_enabled:
            return _cacheable(
                page_cache.serve(
                    request,
                    network,
                    lambda: _render_page(request, network, None, page_cache.placeholders()),
                )
            )
    return _network_page_html(request, slug)


@condition(etag_func=_etag, last_modified_func=_last_modified)
def _network_page_html(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's public page (when switched on); members without one go home."""
    network, stamp = _stamp(request, slug)
    if network is None:
        network = get_object_or_404(Network, slug=slug)
    membership = membership_for(request.user, network)
    if not network.public_page_enabled:
        if membership is not None:
            return redirect("net:home", slug=slug)
        raise Http404
    return _cacheable(_render_page(request, network, membership, {}, stamp=stamp))


def _render_page(
    request: HttpRequest,
    network: Network,
    membership: Membership | None,
    extra: dict[str, Any],
    *,
    stamp: datetime | None = None,
) -> HttpResponse:
    slug = network.slug
    data = selectors.page_data(network, stamp=stamp)
    page_url = request.build_absolute_uri(reverse("public:network", kwargs={"slug": slug}))
    ld_items: list[dict[str, Any]] = [structured.organization(network, page_url)]
    gatherings = []
    for row in data["gatherings"]:
        g = row["obj"]
        signup = request.build_absolute_uri(row["signup_url"]) if row["signup_url"] else None
        ld_items.append(
            structured.event(
                network, g, url=f"{page_url}#gathering-{g.pk}", org_url=page_url, signup_url=signup
            )
        )
        gatherings.append(
            {
                **row,
                "share": share_links(
                    request, str(getattr(g, "title", g)), signup or f"{page_url}#gathering-{g.pk}"
                ),
            }
        )
    for post in data["posts"]:
        url = request.build_absolute_uri(
            reverse("public:post", kwargs={"slug": slug, "pk": post.pk})
        )
        ld_items.append(structured.article(post, url=url, org_url=page_url))
    return render(
        request,
        "public/network.html",
        {
            **extra,
            "network": network,
            "membership": membership,
            **data,
            "gatherings": gatherings,
            "page_url": page_url,
            "json_ld": structured.graph(ld_items),
            "og": {
                "title": network.name,
                "description": network.purpose[:200],
                "url": page_url,
                "type": "website",
                "image": og_image(network, request.build_absolute_uri),
            },
            "calendar_url": sources.calendar_url(network),
            "ask_url": sources.ask_url(network),
            "apply_url": sources.apply_url(network),
            "share": share_links(request, network.name, page_url),
        },
    )


def public_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug, public_page_enabled=True)
    post = get_post(network, pk, public_only=True)
    page_url = request.build_absolute_uri(reverse("public:network", kwargs={"slug": slug}))
    url = request.build_absolute_uri()
    ld = structured.graph(
        [
            structured.organization(network, page_url),
            structured.article(post, url=url, org_url=page_url),
        ]
    )
    return render(
        request,
        "public/post.html",
        {
            "network": network,
            "post": post,
            "json_ld": ld,
            "og": {
                "title": post.title,
                "description": post.excerpt[:200],
                "url": url,
                "type": "article",
                "image": og_image(network, request.build_absolute_uri),
            },
            "share": share_links(request, post.title, url),
        },
    )


@require_GET
def share_mastodon(request: HttpRequest) -> HttpResponse:
    instance = clean_instance(request.GET.get("instance", ""))
    text = request.GET.get("text", "")[:1000]
    if instance is None:
        return render(
            request,
            "public/share_mastodon.html",
            {"text": text, "error": _("Enter your Mastodon server, e.g. mastodon.social.")},
            status=400,
        )
    # Never a redirect to a server named in the address (an open redirect): a page that names
    # the destination, and a link the person follows only if it is theirs.
    return render(
        request,
        "public/share_mastodon.html",
        {"text": text, "destination": instance, "share_url": mastodon_url(instance, text)},
    )


def notification_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The old per-network settings page: choices are per person now (``kring.notify``)."""
    return redirect("notify:preferences", permanent=True)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the token authorises
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """An old-form link (digests sent before ``kring.notify``): GET shows a button, POST
    turns the kind off."""
    parsed = services.read_unsubscribe_token(token)
    if parsed is None:
        return render(request, "notify/unsubscribe.html", {"invalid": True}, status=400)
    user, _network, kind = parsed
    done = False
    if request.method == "POST":
        notify_services.unsubscribe(user=user, kind=kind)
        done = True
    return render(request, "notify/unsubscribe.html", {"kind": kind, "done": done})
