from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from kring.api.schemas import ERRORS
from kring.networks.access import access_network, access_network_by_id
from kring.people.auth import AuthedRequest

from . import selectors, services
from .models import Comment, Post, PostVisibility

router = Router()


class PostIn(Schema):
    title: str
    body: str
    summary: str = ""
    visibility: str = PostVisibility.MEMBERS
    tags: list[str] = []
    gathering_id: int | None = None
    objective_id: int | None = None


class PostOut(Schema):
    id: int
    network: str
    title: str
    summary: str
    body: str
    html: str
    visibility: str
    tags: list[str]
    author: str | None
    gathering_id: int | None
    objective_id: int | None
    created_at: datetime
    updated_at: datetime


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    post_id: int
    author: str | None
    body: str
    created_at: datetime


def _post_out(post: Post) -> dict:
    return {
        "id": post.pk,
        "network": post.network.slug,
        "title": post.title,
        "summary": post.summary,
        "body": post.body,
        "html": str(post.html),
        "visibility": post.visibility,
        "tags": [t.name for t in post.tags.all()],
        "author": post.author.display_name if post.author else None,
        "gathering_id": post.gathering_ref,
        "objective_id": post.objective_ref,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
    }


def _comment_out(c: Comment) -> dict:
    return {
        "id": c.pk,
        "post_id": c.post_id,
        "author": c.author.display_name if c.author else None,
        "body": c.body,
        "created_at": c.created_at,
    }


@router.get(
    "/networks/{slug}/posts",
    response={200: list[PostOut], **ERRORS},
    summary="Knowledge posts of a network (newest first)",
)
def list_posts(request: AuthedRequest, slug: str, tag: str = "", q: str = "") -> list[dict]:
    acc = access_network(request.user, slug)
    if q:
        posts = selectors.search_posts(acc.network, q[:100], limit=50)
    else:
        posts = list(selectors.posts_for(acc.network, tag=tag[:40]).select_related("network")[:100])
    return [_post_out(p) for p in posts]


@router.post("/networks/{slug}/posts", response={201: PostOut, **ERRORS}, summary="Write a post")
def create_post(request: AuthedRequest, slug: str, payload: PostIn) -> Status[dict]:
    acc = access_network(request.user, slug)
    post = services.create_post(
        actor=request.user,
        network=acc.network,
        title=payload.title,
        body=payload.body,
        summary=payload.summary,
        visibility=payload.visibility,
        tags=payload.tags,
        gathering_ref=payload.gathering_id,
        objective_ref=payload.objective_id,
    )
    return Status(201, _post_out(post))


def _access_post(request: HttpRequest, post_id: int) -> Post:
    network_id = Post.objects.filter(pk=post_id).values_list("network_id", flat=True).first()
    if network_id is None:
        raise Http404("No such post.")
    acc = access_network_by_id(request.user, network_id)
    return selectors.get_post(acc.network, post_id)


@router.get("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="One post")
def get_post(request: AuthedRequest, post_id: int) -> dict:
    return _post_out(_access_post(request, post_id))


@router.post(
    "/posts/{post_id}/comments", response={201: CommentOut, **ERRORS}, summary="Comment on a post"
)
def add_comment(request: AuthedRequest, post_id: int, payload: CommentIn) -> Status[dict]:
    post = _access_post(request, post_id)
    return Status(
        201, _comment_out(services.add_comment(actor=request.user, post=post, body=payload.body))
    )
