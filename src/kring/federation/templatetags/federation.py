"""``{% fediverse_follow network %}`` and ``{% fediverse_replies gathering=... post=... %}``
for the public pages: the handle with a copy button, and the replies a host approved."""

from __future__ import annotations

from typing import Any

from django import template

from kring.federation import documents, selectors
from kring.federation.models import ReactionKind
from kring.federation.policy import federated

register = template.Library()


@register.inclusion_tag("federation/_follow_us.html", takes_context=True)
def fediverse_follow(context: template.Context, network: Any) -> dict[str, Any]:
    on = network is not None and federated(network) is not None
    return {
        "fediverse_handle": documents.handle(network) if on else "",
        "csp_nonce": context.get("csp_nonce", ""),
    }


@register.inclusion_tag("federation/_replies.html")
def fediverse_replies(*, gathering: Any = None, post: Any = None) -> dict[str, Any]:
    """Approved replies, and how often the object was liked and boosted on the fediverse."""
    if gathering is None and post is None:
        return {"fediverse_replies": [], "likes": 0, "boosts": 0}
    object_id = documents.event_id(gathering) if gathering else documents.article_id(post)
    counts = selectors.reaction_counts(object_id)
    return {
        "fediverse_replies": list(selectors.approved_replies(gathering=gathering, post=post)),
        "likes": counts.get(ReactionKind.LIKE, 0),
        "boosts": counts.get(ReactionKind.ANNOUNCE, 0),
    }
