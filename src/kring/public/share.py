"""Share links: plain URLs to each service's share endpoint, no scripts, no trackers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

# A host name, optionally with a port: no scheme, no path, no user info.
INSTANCE_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$"
)


def clean_instance(raw: str) -> str | None:
    """``mastodon.social``, ``https://mastodon.social/`` or ``@me@mastodon.social`` → host."""
    value = (raw or "").strip().lower()
    value = re.sub(r"^https?://", "", value).split("/")[0]
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    return value if INSTANCE_RE.match(value) else None


def mastodon_url(instance: str, text: str) -> str:
    return f"https://{instance}/share?{urlencode({'text': text})}"


def share_links(request: HttpRequest | None, title: str, url: str) -> dict[str, Any]:
    text = f"{title} {url}"
    return {
        "title": title,
        "url": url,
        "text": text,
        "links": [
            {
                "name": "LinkedIn",
                "href": "https://www.linkedin.com/sharing/share-offsite/?"
                + urlencode({"url": url}),
            },
            {
                "name": "Facebook",
                "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            },
            {"name": "WhatsApp", "href": "https://wa.me/?" + urlencode({"text": text})},
            {"name": _("E-mail"), "href": f"mailto:?subject={quote(title)}&body={quote(text)}"},
        ],
        "mastodon_action": reverse("public:share_mastodon"),
    }
