"""``GET/PATCH /api/v1/networks/{slug}/federation`` (hosts)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from kring.api.schemas import ERRORS
from kring.networks.access import access_network
from kring.networks.models import Network
from kring.people.auth import AuthedRequest

from . import selectors, services

router = Router()


class FederationOut(Schema):
    enabled: bool
    handle: str
    followers: int
    pending_replies: int
    failing_peers: int


class FederationPatch(Schema):
    enabled: bool


def _out(network: Network) -> dict[str, Any]:
    s = selectors.summary(network)
    return {
        "enabled": s.enabled,
        "handle": s.handle,
        "followers": s.followers,
        "pending_replies": s.pending_replies,
        "failing_peers": s.failing_peers,
    }


@router.get("/networks/{slug}/federation", response={200: FederationOut, **ERRORS})
def get_federation(request: AuthedRequest, slug: str) -> dict[str, Any]:
    acc = access_network(request.user, slug, host=True)
    return _out(acc.network)


@router.patch("/networks/{slug}/federation", response={200: FederationOut, **ERRORS})
def patch_federation(request: AuthedRequest, slug: str, data: FederationPatch) -> dict[str, Any]:
    acc = access_network(request.user, slug, host=True)
    services.set_federation(actor=request.user, network=acc.network, enabled=data.enabled)
    return _out(acc.network)
