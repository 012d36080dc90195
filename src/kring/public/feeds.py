"""The network's Atom feed: public posts and open gatherings, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kring.knowledge.selectors import posts_for
from kring.networks.models import Network

from . import sources


class SanitisedAtomFeed(Atom1Feed):
    """Atom with the post's sanitised HTML as ``<content type="html">``.

    Everything marked ``type="html"`` is HTML we made safe: the post body rendered and
    cleaned (``render_markdown``), plain text escaped — never the author's raw source.
    """

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


def _summary(post: Any) -> str:
    """The summary as HTML: the typed summary escaped, or the start of the sanitised body."""
    if post.summary:
        return str(escape(post.summary))
    return Truncator(str(post.html)).words(40, html=True)


class NetworkFeed(Feed):
    feed_type = SanitisedAtomFeed

    def get_object(self, request: HttpRequest, slug: str) -> Network:
        network = Network.objects.filter(slug=slug, public_page_enabled=True).first()
        if network is None:
            raise Http404
        self.request = request
        return network

    def title(self, obj: Network) -> str:
        return obj.name

    def subtitle(self, obj: Network) -> str:
        return obj.purpose[:300]

    def link(self, obj: Network) -> str:
        return reverse("public:network", kwargs={"slug": obj.slug})

    def feed_url(self, obj: Network) -> str:
        return reverse("public:feed", kwargs={"slug": obj.slug})

    def author_name(self, obj: Network) -> str:
        return obj.name

    def feed_guid(self, obj: Network) -> str:
        return self.request.build_absolute_uri(self.link(obj))

    def items(self, obj: Network) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for post in posts_for(obj, public_only=True)[:30]:
            rows.append(
                {
                    "kind": "post",
                    "title": post.title,
                    "description": _summary(post),
                    "content": str(post.html),
                    "link": reverse("public:post", kwargs={"slug": obj.slug, "pk": post.pk}),
                    "date": post.created_at,
                    "updated": post.updated_at,
                    "author": post.public_author_name,
                    "guid": f"post-{post.pk}",
                }
            )
        tz = obj.tzinfo
        for g in sources.upcoming_open_gatherings(obj):
            start = getattr(g, "starts_at", None)
            when = timezone.localtime(start, tz).strftime("%Y-%m-%d %H:%M") if start else ""
            link = (
                sources.guest_signup_url(obj, g)
                or reverse("public:network", kwargs={"slug": obj.slug}) + f"#gathering-{g.pk}"
            )
            place = getattr(g, "venue_name", "") or obj.city
            rows.append(
                {
                    "kind": "gathering",
                    "title": _("Gathering: %(title)s (%(when)s)")
                    % {"title": getattr(g, "title", g), "when": when},
                    "description": str(
                        escape((getattr(g, "description", "") or place or "")[:500])
                    ),
                    "content": None,
                    "link": link,
                    "date": getattr(g, "created_at", None) or start or timezone.now(),
                    "updated": getattr(g, "updated_at", None) or start or timezone.now(),
                    "author": obj.name,
                    "guid": f"gathering-{g.pk}",
                }
            )
        rows.sort(key=lambda r: r["updated"], reverse=True)
        return rows

    def item_title(self, item: dict[str, Any]) -> str:
        return item["title"]

    def item_description(self, item: dict[str, Any]) -> str:
        return item["description"]

    def item_extra_kwargs(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"content_html": item["content"]}

    def item_link(self, item: dict[str, Any]) -> str:
        return item["link"]

    def item_guid(self, item: dict[str, Any]) -> str:
        return self.request.build_absolute_uri(item["link"]) + f"#{item['guid']}"

    def item_guid_is_permalink(self, item: dict[str, Any]) -> bool:
        return False

    def item_pubdate(self, item: dict[str, Any]) -> datetime:
        return item["date"]

    def item_updateddate(self, item: dict[str, Any]) -> datetime:
        return item["updated"]

    def item_author_name(self, item: dict[str, Any]) -> str:
        return item["author"]
