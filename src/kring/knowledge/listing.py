"""The knowledge list's posts as plain items, each rendered once per process.

Like the directory's cards (``kring.networks.directory``): the page is read as ``values()``
rows and one query for its tags, each item's HTML is named by a digest of everything it shows
(``kring.core.fragments``), and only the items missing from the per-process cache are
rendered. An item shows nothing that depends on who is looking, so viewers share it; the
language and time zone are part of every key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from kring.core.fragments import fragment_key, render_fragments
from kring.core.markdown import render_markdown
from kring.networks.models import Network

from .models import Post, PostVisibility

PER_PAGE = 20
ITEM_TEMPLATE = "knowledge/_post_item.html"


@dataclass(frozen=True)
class PostItem:
    """What a post shows in a list."""

    pk: int
    title: str
    author_name: str  # "" when the author's account is gone
    created_at: datetime
    is_public: bool
    comment_count: int
    summary: str
    body: str
    tag_names: tuple[str, ...]

    @property
    def excerpt(self) -> str:  # as Post.excerpt
        if self.summary:
            return self.summary
        return Truncator(strip_tags(render_markdown(self.body))).words(40)


def _author_name(display_name: str | None, email: str | None) -> str:
    """As ``User.display_name``: the profile's name, or the e-mail's local part."""
    if email is None:
        return ""
    return display_name or email.split("@")[0]


def item_of(post: Post) -> PostItem:
    """A post instance as an item (search results, which are ranked instances)."""
    author = post.author
    return PostItem(
        pk=post.pk,
        title=post.title,
        author_name=author.display_name if author is not None else "",
        created_at=post.created_at,
        is_public=post.is_public,
        comment_count=getattr(post, "comment_count", 0) or 0,
        summary=post.summary,
        body=post.body,
        tag_names=tuple(t.name for t in post.tags.all()),
    )


def post_page(network: Network, *, tag: str, number: Any) -> tuple[Page[Any], list[PostItem]]:
    """The page ``number`` of the network's posts (with ``tag``, if given; newest first) and
    its items: the count, the page's rows and their tags — three queries at any size."""
    posts = Post.objects.for_network(network)
    if tag:
        posts = posts.filter(tags__name=tag.strip().lower())
    rows = (
        posts.order_by("-created_at", "-pk")
        .annotate(comment_count=Count("comments", distinct=True))
        .values(
            "pk",
            "title",
            "summary",
            "body",
            "visibility",
            "created_at",
            "author__email",
            "author__profile__display_name",
            "comment_count",
        )
    )
    page = Paginator(rows, PER_PAGE).get_page(number)
    page_rows = list(page.object_list)
    tags: dict[int, list[str]] = defaultdict(list)
    for post_id, name in (
        Post.tags.through.objects.filter(post_id__in=[r["pk"] for r in page_rows])
        .order_by(F("knowledgetag__name"))
        .values_list("post_id", F("knowledgetag__name"))
    ):
        tags[post_id].append(name)
    items = [
        PostItem(
            pk=r["pk"],
            title=r["title"],
            author_name=_author_name(r["author__profile__display_name"], r["author__email"]),
            created_at=r["created_at"],
            is_public=r["visibility"] == PostVisibility.PUBLIC,
            comment_count=r["comment_count"],
            summary=r["summary"],
            body=r["body"],
            tag_names=tuple(tags[r["pk"]]),
        )
        for r in page_rows
    ]
    return page, items


def render_items(network: Network, items: Iterable[PostItem]) -> Sequence[SafeString]:
    """Each item's HTML, in order: cached ones as they are, the others rendered and stored."""
    return render_fragments(
        ITEM_TEMPLATE,
        [
            (fragment_key("post_item", item, network.slug), {"post": item, "network": network})
            for item in items
        ],
    )


def render_list(network: Network, items: Iterable[PostItem]) -> SafeString:
    return mark_safe("".join(render_items(network, items)))  # rendered, escaped templates
