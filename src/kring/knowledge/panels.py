from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kring.core.registry import Panel

from .models import Post


def home_panel(request: HttpRequest, acc: Any) -> Panel:
    posts = list(
        Post.objects.for_network(acc.network)
        .only("pk", "title", "created_at")
        .order_by("-created_at", "-pk")[:5]
    )
    return Panel("knowledge/panel.html", {"posts": posts, "slug": acc.network.slug}, order=60)
