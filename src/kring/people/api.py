from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from kring.api.schemas import ERRORS
from kring.networks.models import Membership
from kring.networks.selectors import profile_for
from kring.people.auth import AuthedRequest

from .services import ensure_profile

router = Router()


class MembershipOut(Schema):
    network: str
    name: str
    role: str
    status: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    language: str
    passions: list[str]
    talents: list[str]
    offers: list[str]
    seeks: list[str]
    networks: list[MembershipOut]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I")
def me(request: AuthedRequest) -> dict[str, Any]:

    user = request.user
    ensure_profile(user)
    profile = profile_for(user)
    memberships = Membership.objects.current().filter(user=user).select_related("network")
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": profile.display_name,
        "language": user.language,
        "passions": profile.passion_tags,
        "talents": profile.talent_tags,
        "offers": profile.offer_tags,
        "seeks": profile.seek_tags,
        "networks": [
            {"network": m.network.slug, "name": m.network.name, "role": m.role, "status": m.status}
            for m in memberships
        ],
    }
