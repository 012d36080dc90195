"""Use-cases for knowledge: write and edit posts, comment, upload images."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import DomainError, NotAllowed
from kring.core.files import reencode_image
from kring.core.tagging import split_tags
from kring.federation import publishing
from kring.networks.access import membership_for, require_member
from kring.networks.models import Network
from kring.people.models import User
from kring.public import cache as public_cache

from . import links
from .models import Comment, KnowledgeTag, Post, PostImage, PostVisibility

MAX_TAGS = 8
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 1600
_TAG_RE = re.compile(r"[^\w\- ]+", re.UNICODE)


def parse_tags(text: str | Iterable[str]) -> list[str]:
    """Unique tags by the one tag rule (``kring.core.tags``), at most ``MAX_TAGS``."""
    return split_tags(text, limit=MAX_TAGS)


def _set_tags(post: Post, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _created = KnowledgeTag.objects.get_or_create(network=post.network, name=name)
        tags.append(tag)
    post.tags.set(tags)


def _check_links(network: Network, gathering_ref: int | None, objective_ref: int | None) -> None:
    """A linked gathering or objective must belong to the same network (when that app exists)."""

    if gathering_ref is not None and links.gathering(network, gathering_ref) is None:
        raise DomainError(_("That gathering is not part of this network."), field="gathering_ref")
    if objective_ref is not None and links.objective(network, objective_ref) is None:
        raise DomainError(_("That objective is not part of this network."), field="objective_ref")


def _validate(title: str, body: str, visibility: str) -> tuple[str, str]:
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        raise DomainError(_("Give the post a title."), field="title")
    if len(title) > 160:
        raise DomainError(
            _("The title is too long (at most %(n)s characters)."), field="title", n=160
        )
    if not body:
        raise DomainError(_("Write something in the post."), field="body")
    if len(body) > 40000:
        raise DomainError(
            _("The text is too long (at most %(n)s characters)."), field="body", n=40000
        )
    if visibility not in PostVisibility.values:
        raise DomainError(_("Choose who may read the post."), field="visibility")
    return title, body


@transaction.atomic
def create_post(
    *,
    actor: User,
    network: Network,
    title: str,
    body: str,
    summary: str = "",
    visibility: str = PostVisibility.MEMBERS,
    tags: str | Iterable[str] = "",
    gathering_ref: int | None = None,
    objective_ref: int | None = None,
) -> Post:
    require_member(actor, network)
    title, body = _validate(title, body, visibility)
    names = parse_tags(tags)
    _check_links(network, gathering_ref, objective_ref)
    post = Post.objects.create(
        network=network,
        author=actor,
        title=title,
        body=body,
        summary=(summary or "")[:300],
        visibility=visibility,
        gathering_ref=gathering_ref,
        objective_ref=objective_ref,
    )
    _set_tags(post, names)
    audit.record(verb="post.created", actor=actor, network=network, obj=post, visibility=visibility)
    publishing.post_changed(post)
    public_cache.invalidate(post.network_id)
    return post


def can_edit(actor: User, post: Post) -> bool:
    membership = membership_for(actor, post.network)
    return membership is not None and (post.author_id == actor.pk or membership.is_host)


@transaction.atomic
def update_post(
    *,
    actor: User,
    post: Post,
    title: str,
    body: str,
    summary: str = "",
    visibility: str = PostVisibility.MEMBERS,
    tags: str | Iterable[str] = "",
    gathering_ref: int | None = None,
    objective_ref: int | None = None,
) -> Post:
    if not can_edit(actor, post):
        raise NotAllowed(_("Only the author or a host can change this post."))
    title, body = _validate(title, body, visibility)
    names = parse_tags(tags)
    _check_links(post.network, gathering_ref, objective_ref)
    post.title, post.body, post.summary = title, body, (summary or "")[:300]
    post.visibility, post.gathering_ref, post.objective_ref = (
        visibility,
        gathering_ref,
        objective_ref,
    )
    post.save()
    _set_tags(post, names)
    audit.record(
        verb="post.updated", actor=actor, network=post.network, obj=post, visibility=visibility
    )
    publishing.post_changed(post)
    public_cache.invalidate(post.network_id)
    return post


@transaction.atomic
def delete_post(*, actor: User, post: Post) -> None:
    if not can_edit(actor, post):
        raise NotAllowed(_("Only the author or a host can delete this post."))
    audit.record(verb="post.deleted", actor=actor, network=post.network, obj=post, title=post.title)
    publishing.post_deleted(network=post.network, post_id=post.pk)
    public_cache.invalidate(post.network_id)
    post.delete()


@transaction.atomic
def add_comment(*, actor: User, post: Post, body: str) -> Comment:
    require_member(actor, post.network)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment first."), field="body")
    if len(body) > 5000:
        raise DomainError(
            _("The comment is too long (at most %(n)s characters)."), field="body", n=5000
        )
    comment = Comment.objects.create(post=post, author=actor, body=body)
    audit.record(verb="post.commented", actor=actor, network=post.network, obj=post)
    return comment


@transaction.atomic
def upload_image(*, actor: User, network: Network, upload: Any) -> PostImage:
    require_member(actor, network)
    size = getattr(upload, "size", None)
    if size is None or size > MAX_IMAGE_BYTES:
        raise DomainError(
            _("The image is too large (at most %(mb)s MB)."),
            field="image",
            mb=MAX_IMAGE_BYTES // (1024 * 1024),
        )
    data = upload.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(
            _("The image is too large (at most %(mb)s MB)."),
            field="image",
            mb=MAX_IMAGE_BYTES // (1024 * 1024),
        )
    content, ext, width, height = reencode_image(
        data, max_side=MAX_IMAGE_SIDE, max_pixels=MAX_IMAGE_PIXELS
    )
    image = PostImage(network=network, uploader=actor, width=width, height=height)
    image.image.save(f"image.{ext}", ContentFile(content), save=False)  # random name
    image.save()
    audit.record(verb="post.image_uploaded", actor=actor, network=network, obj=image)
    return image
