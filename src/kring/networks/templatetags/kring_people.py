"""Template helpers for lists of people."""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def person_card_key(context: template.Context, m: Any) -> str:
    """The fragment-cache key of a member's card in the directory: a digest of everything
    the card shows (name, passion, city, photo, tags, role, status), whether it is the
    viewer's own card (their photo has its own address), the network and the language — so
    a changed profile is a new key, and nothing of one viewer or language reaches another."""
    profile = m.user.profile
    request = context.get("request")
    viewer = getattr(getattr(request, "user", None), "pk", None)
    network = context.get("network")
    parts = [
        m.pk,
        m.user_id,
        m.role,
        m.status,
        profile.pk,
        profile.display_name,
        profile.passion,
        profile.city,
        profile.photo.name if profile.photo else "",
        profile.passion_tags,
        profile.talent_tags,
        viewer == m.user_id,
        getattr(network, "slug", ""),
        get_language(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
