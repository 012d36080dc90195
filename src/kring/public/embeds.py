"""Where a network's widgets may be framed: the Content-Security-Policy for embed pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.csp import CSP

from kring.core import audit
from kring.networks.access import require_host
from kring.networks.models import Network

from .models import EmbedSettings


def settings_for(network: Network) -> EmbedSettings:
    return EmbedSettings.objects.filter(network=network).first() or EmbedSettings(network=network)


def allowed_origins(network: Network) -> list[str]:
    return settings_for(network).origin_list


def csp_for(origins: list[str]) -> dict[str, list[str]]:
    """The site's policy, with ``frame-ancestors`` opened to exactly ``origins``."""
    csp: dict[str, Any] = settings.SECURE_CSP
    policy = {k: list(v) for k, v in csp.items()}
    policy["frame-ancestors"] = list(origins) or [CSP.NONE]
    policy["form-action"] = [CSP.NONE]
    return policy


@transaction.atomic
def set_embed_origins(*, actor: Any, network: Network, origins: str) -> EmbedSettings:
    require_host(actor, network)
    row, _created = EmbedSettings.objects.update_or_create(
        network=network, defaults={"origins": origins}
    )
    audit.record(
        verb="public.embed_origins_set", actor=actor, network=network, origins=row.origin_list
    )
    return row
