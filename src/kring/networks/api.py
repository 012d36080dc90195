from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from kring.api.schemas import ERRORS, CoverOut
from kring.core.covers import cover_json
from kring.people.auth import AuthedRequest

from . import selectors
from .access import access_network
from .models import Membership, Network

router = Router()


class NetworkOut(Schema):
    slug: str
    name: str
    city: str
    time_zone: str
    kind: str
    purpose: str
    for_whom: str
    join_policy: str
    public_page_enabled: bool
    role: str
    cover: CoverOut | None = None


class MemberOut(Schema):
    id: int
    display_name: str
    role: str
    status: str
    city: str
    passions: list[str]
    talents: list[str]
    offers: list[str]
    seeks: list[str]
    email: str | None = None


def _network_out(network: Network, role: str) -> dict[str, Any]:
    fields = [
        "slug",
        "name",
        "city",
        "time_zone",
        "kind",
        "purpose",
        "for_whom",
        "join_policy",
        "public_page_enabled",
    ]
    data = {f: getattr(network, f) for f in fields}
    data["role"] = role
    data["cover"] = cover_json(network)
    return data


@router.get("/networks", response={200: list[NetworkOut], **ERRORS}, summary="My networks")
def list_networks(request: AuthedRequest) -> list[dict[str, Any]]:
    memberships = (
        Membership.objects.current()
        .filter(user=request.user)
        .select_related("network")
        .order_by("network__name")
    )
    return [_network_out(m.network, m.role) for m in memberships]


@router.get("/networks/{slug}", response={200: NetworkOut, **ERRORS}, summary="One network")
def get_network(request: AuthedRequest, slug: str) -> dict[str, Any]:
    acc = access_network(request.user, slug)
    return _network_out(acc.network, acc.membership.role)


@router.get(
    "/networks/{slug}/members",
    response={200: list[MemberOut], **ERRORS},
    summary="Members of a network (e-mail addresses only for hosts)",
)
def list_members(
    request: AuthedRequest, slug: str, tag: str = "", q: str = ""
) -> list[dict[str, Any]]:
    acc = access_network(request.user, slug)
    out = []
    for m in selectors.members_of(acc.network, search=q[:100], tag=tag[:60]):
        profile = m.user.profile
        out.append(
            {
                "id": m.user_id,
                "display_name": profile.display_name,
                "role": m.role,
                "status": m.status,
                "city": profile.city,
                "passions": profile.passion_tags,
                "talents": profile.talent_tags,
                "offers": profile.offer_tags,
                "seeks": profile.seek_tags,
                "email": m.user.email if acc.is_host else None,
            }
        )
    return out
