from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kring.knowledge.models import Post
from kring.networks.models import Network


class NetworkSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> Any:
        return Network.objects.public().order_by("slug")

    def location(self, item: Network) -> str:
        return reverse("public:network", kwargs={"slug": item.slug})

    def lastmod(self, item: Network) -> Any:
        return item.updated_at


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> Any:
        return (
            Post.objects.public()
            .filter(network__public_page_enabled=True)
            .select_related("network")
            .order_by("pk")
        )

    def location(self, item: Post) -> str:
        return reverse("public:post", kwargs={"slug": item.network.slug, "pk": item.pk})

    def lastmod(self, item: Post) -> Any:
        return item.updated_at


SITEMAPS = {"networks": NetworkSitemap, "posts": PostSitemap}
