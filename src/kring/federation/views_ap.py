"""The fediverse's side: WebFinger, NodeInfo, the Group actor, outbox, followers, objects and
the inboxes. JSON only; every POST to an inbox must carry a valid HTTP signature (else 401)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kring.gatherings.models import Gathering
from kring.knowledge.models import Post
from kring.networks.models import Network
from kring.results.models import Objective

from . import delivery, documents, images, inbox, publishing, remote, signatures
from .models import FederatedNetwork, Follower, FollowerStatus, OutboxActivity
from .policy import domain_of, federated, operator_blocked, over_rate

logger = logging.getLogger("kring.federation")

AP_CONTENT_TYPE = "application/activity+json"
MAX_BODY = 256 * 1024
OUTBOX_PAGE = 20
_ACCT = re.compile(r"^(?:acct:)?@?(?P<user>[a-z0-9][a-z0-9-]*)@(?P<host>[^@/\s]+)$", re.I)


def wants_activity_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/activity+json" in accept or (
        "application/ld+json" in accept and "activitystreams" in accept
    )


def ap_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, content_type=AP_CONTENT_TYPE)
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _federated_network(slug: str) -> tuple[Network, FederatedNetwork]:
    network = Network.objects.filter(slug=slug).first()
    fed = federated(network) if network is not None else None
    if network is None or fed is None:
        raise Http404("not on the fediverse")
    return network, fed


# --- Discovery ------------------------------------------------------------------------------


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    resource = request.GET.get("resource", "").strip()
    slug = ""
    if match := _ACCT.match(resource):
        if match["host"].lower() != documents.site_host().lower():
            return JsonResponse({"detail": "not on this host"}, status=404)
        slug = match["user"].lower()
    elif found := inbox.ours(resource):
        slug = found[0]
    elif resource.startswith(documents.site() + "/n/"):
        slug = resource[len(documents.site()) + 3 :].strip("/").split("/")[0]
    if not resource:
        return JsonResponse({"detail": "give a resource, e.g. acct:name@host"}, status=400)
    network = Network.objects.filter(slug=slug).first() if slug else None
    if network is None or federated(network) is None:
        return JsonResponse({"detail": "no such account"}, status=404)
    response = JsonResponse(documents.webfinger(network), content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": documents.absolute(reverse("federation:nodeinfo")),
                }
            ]
        }
    )


@require_GET
def nodeinfo(request: HttpRequest) -> JsonResponse:
    networks = FederatedNetwork.objects.filter(enabled=True, network__public_page_enabled=True)
    total = networks.count()
    posts = OutboxActivity.objects.filter(kind="Create").aggregate(n=Count("pk"))["n"]
    return JsonResponse(
        {
            "version": "2.1",
            "software": {
                "name": "kring",
                "version": "0.1.0",
                "repository": "https://github.com/kring/kring",
                "homepage": documents.site(),
            },
            "protocols": ["activitypub"],
            "services": {"inbound": [], "outbound": ["atom1.0"]},
            "openRegistrations": False,
            "usage": {"users": {"total": total}, "localPosts": posts},
            "metadata": {"nodeName": "Kring"},
        },
        content_type=(
            'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
        ),
    )


# --- The actor and its collections ----------------------------------------------------------


def actor_document(network: Network, fed: FederatedNetwork) -> dict[str, Any]:
    return documents.actor(network, fed.public_key_pem, approve_followers=fed.approve_followers)


@require_GET
def actor(request: HttpRequest, slug: str) -> HttpResponse:
    network, fed = _federated_network(slug)
    return ap_response(actor_document(network, fed))


@require_GET
def image(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The actor's generated avatar (``icon``) or header (``header``)."""
    network, _fed = _federated_network(slug)
    if kind not in images.SIZES:
        raise Http404
    response = HttpResponse(
        images.render(kind, slug=network.slug, name=network.name), content_type="image/png"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    network, _fed = _federated_network(slug)
    rows = OutboxActivity.objects.filter(network=network).order_by("-pk")
    paginator = Paginator(rows, OUTBOX_PAGE)
    base = documents.outbox_url(network)
    page_arg = request.GET.get("page")
    if page_arg is None:
        return ap_response(
            {
                "@context": documents.AS_CONTEXT,
                "id": base,
                "type": "OrderedCollection",
                "totalItems": paginator.count,
                "first": f"{base}?page=1",
                "last": f"{base}?page={paginator.num_pages}",
            }
        )
    try:
        page = paginator.page(int(page_arg))
    except (ValueError, EmptyPage):
        return JsonResponse({"detail": "no such page"}, status=404)
    doc: dict[str, Any] = {
        "@context": documents.CONTEXT,
        "id": f"{base}?page={page.number}",
        "type": "OrderedCollectionPage",
        "partOf": base,
        "totalItems": paginator.count,
        "orderedItems": [
            {k: v for k, v in row.activity.items() if k != "@context"} for row in page
        ],
    }
    if page.has_next():
        doc["next"] = f"{base}?page={page.next_page_number()}"
    if page.has_previous():
        doc["prev"] = f"{base}?page={page.previous_page_number()}"
    return ap_response(doc)


@require_GET
def followers(request: HttpRequest, slug: str) -> HttpResponse:
    """Only the count: who follows a network is not published."""
    network, _fed = _federated_network(slug)
    count = Follower.objects.filter(network=network, status=FollowerStatus.ACCEPTED).count()
    return ap_response(
        {
            "@context": documents.AS_CONTEXT,
            "id": documents.followers_url(network),
            "type": "OrderedCollection",
            "totalItems": count,
        }
    )


@require_GET
def event(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, _fed = _federated_network(slug)
    gathering = get_object_or_404(
        Gathering.objects.select_related("network"), network=network, pk=pk
    )
    if not publishing.is_public_gathering(gathering):
        raise Http404
    return ap_response(publishing.event_document(gathering))


@require_GET
def article(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, _fed = _federated_network(slug)
    post = get_object_or_404(Post.objects.select_related("network"), network=network, pk=pk)
    if not post.is_public:
        raise Http404
    return ap_response(documents.article(post))


@require_GET
def milestone(request: HttpRequest, slug: str, pk: int, percent: int) -> HttpResponse:
    network, _fed = _federated_network(slug)
    objective = get_object_or_404(Objective, network=network, pk=pk)
    object_id = documents.milestone_id(objective, percent)
    if not objective.is_public or not OutboxActivity.objects.filter(object_id=object_id).exists():
        raise Http404
    return ap_response(publishing.milestone_document(objective, percent))


# --- Inboxes --------------------------------------------------------------------------------


def _problem(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _fetch_signer(network: Network | None) -> tuple[str, str] | None:
    """The key that signs our fetch of a sender's key: the addressed network's, or (shared
    inbox) any federated network's."""
    fed = (
        federated(network)
        if network is not None
        else FederatedNetwork.objects.filter(enabled=True, network__public_page_enabled=True)
        .exclude(private_key_pem="")
        .select_related("network")
        .first()
    )
    return (documents.key_id(fed.network), fed.private_key_pem) if fed is not None else None


@csrf_exempt
@require_http_methods(["POST"])
def inbox_view(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    network = None
    if slug is not None:
        network = Network.objects.filter(slug=slug).first()
        if network is None or federated(network) is None:
            return _problem("this network is not on the fediverse", 404)
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return _problem("the activity is too large", 413)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers.setdefault("host", request.get_host())
    try:
        parsed = signatures.parse_signature(
            headers.get("signature") or headers.get("authorization", "")
        )
    except signatures.SignatureError as exc:
        return _problem(f"a valid HTTP signature is required ({exc})", 401)
    domain = domain_of(parsed.key_id)
    if not domain or operator_blocked(domain):
        return _problem("this instance is blocked here", 403)
    if over_rate(domain):
        return _problem("too many requests from this instance; try again later", 429)
    body = request.body
    if len(body) > MAX_BODY:
        return _problem("the activity is too large", 413)
    try:
        activity = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        activity = None
    try:
        sender = remote.verify_request(
            method="POST",
            path=request.get_full_path(),
            headers=headers,
            body=body,
            signer=_fetch_signer(network),
        )
    except signatures.SignatureError as exc:
        if (
            isinstance(activity, dict)
            and activity.get("type") == "Delete"
            and inbox.ref(activity.get("object")) == inbox.ref(activity.get("actor"))
        ):
            return _problem("ignored: an actor we cannot verify was deleted", 202)
        return _problem(f"the HTTP signature does not verify ({exc})", 401)
    delivery.peer_spoke(sender.domain)
    if not isinstance(activity, dict):
        return _problem("the body is not a JSON object", 400)
    outcome = inbox.handle(network=network, actor=sender, activity=activity)
    return JsonResponse({"detail": outcome.detail}, status=outcome.status)
