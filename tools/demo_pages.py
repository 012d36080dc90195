"""The demo's main pages, for ``tools/screenshots.py`` and ``benchmarks/lighthouse.py``.

Run inside the project (``uv run python tools/...``) with the same ``KRING_DATA_DIR`` as the
demo server, so the ids of the demo's gathering, post and people can be looked up.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import django

SLUG = "anno-nu"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str = ""  # "" anonymous, else the demo login's e-mail
    public: bool = False  # scored for SEO


def demo_pages() -> list[Page]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    django.setup()
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from kring.gatherings.models import Gathering
    from kring.knowledge.models import Post
    from kring.networks.models import Network
    from kring.people.models import User

    network = Network.objects.get(slug=SLUG)
    upcoming = Gathering.objects.filter(network=network, starts_at__gte=timezone.now())
    gathering = (
        upcoming.order_by("starts_at").first()
        or Gathering.objects.filter(network=network).order_by("-starts_at").first()
    )
    post = Post.objects.filter(network=network).order_by("-pk").first()
    bram = User.objects.get(email="bram@example.org")
    host, member = "host@example.org", "member@example.org"

    def net(name: str, **kw: object) -> str:
        return reverse(name, kwargs={"slug": SLUG, **kw})

    pages = [
        Page("public page", net("public:network"), public=True),
        Page("apply", net("commitment:apply"), public=True),
        Page("landing", reverse("site:home"), public=True),
        Page("home", net("net:home"), member),
        Page("gatherings", net("gatherings:list"), member),
        Page("people", net("net:directory"), member),
        Page("profile", net("net:person", user_id=bram.pk), member),
        Page("costs", net("ledger:index"), member),
        Page("results", net("results:index"), member),
        Page("introductions", net("introductions:index"), member),
        Page("knowledge", net("knowledge:list"), member),
        Page("more", net("net:more"), member),
    ]
    if gathering is not None:
        detail = net("gatherings:detail", gathering_id=gathering.pk)
        pages.insert(5, Page("gathering", detail, member))
        pages.append(Page("door list", net("gatherings:checkin", gathering_id=gathering.pk), host))
    if post is not None:
        pages.append(Page("post", net("knowledge:detail", pk=post.pk), member))
    with contextlib.suppress(NoReverseMatch):  # the conversations app lands separately
        pages.append(Page("conversations", net("conversations:inbox"), member))
    pages.append(Page("manage", net("net:manage"), host))
    return pages
