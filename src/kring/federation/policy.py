"""Who may talk to a network: federation switched on, blocks (host and operator), rate limits."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from kring.networks.models import Network

from .models import Block, BlockKind, FederatedNetwork

RATE_WINDOW_SECONDS = 60


def domain_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _matches(domain: str, blocked: str) -> bool:
    blocked = blocked.lower().strip(".")
    return domain == blocked or domain.endswith("." + blocked)


def operator_blocked(domain: str) -> bool:
    """The installation-wide block list (``KRING_FEDERATION_BLOCKED_DOMAINS``)."""
    return any(_matches(domain, b) for b in settings.KRING_FEDERATION_BLOCKED_DOMAINS)


def blocked(network: Network | None, actor_url: str) -> bool:
    domain = domain_of(actor_url)
    if not domain or operator_blocked(domain):
        return True
    if network is None:
        return False
    for kind, value in Block.objects.filter(network=network).values_list("kind", "value"):
        if kind == BlockKind.DOMAIN and _matches(domain, value):
            return True
        if kind == BlockKind.ACTOR and value == actor_url:
            return True
    return False


def federated(network: Network) -> FederatedNetwork | None:
    """The network's fediverse settings if it is on the fediverse (public page and switch on)."""
    if not network.public_page_enabled:
        return None
    fed = FederatedNetwork.objects.filter(network=network, enabled=True).first()
    return fed if fed is not None and fed.private_key_pem else None


def over_rate(domain: str) -> bool:
    """True when this instance sent more than its share of inbox requests this minute."""
    limit = settings.KRING_FEDERATION_RATE_PER_MINUTE
    key = f"kring:ap-rate:{domain}"
    if cache.add(key, 1, RATE_WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        return False
    return count > limit
