"""The public app's API: following a network by e-mail (no account)."""

from __future__ import annotations

from django.utils.translation import get_language
from ninja import Router, Schema, Status

from kring.api.schemas import ERRORS
from kring.core import antispam
from kring.networks.access import public_network
from kring.people.auth import AuthedRequest

from . import followers

router = Router()

#: Rate-limit scope of following (per IP and per e-mail address).
FOLLOW_SCOPE = "public.follow"


class FollowIn(Schema):
    email: str
    altcha: str = ""
    website: str = ""  # the honeypot: leave empty


class FollowOut(Schema):
    detail: str


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    salt: str
    signature: str
    maxnumber: int


@router.get(
    "/networks/{slug}/followers/challenge",
    response={200: ChallengeOut, **ERRORS},
    auth=None,
    summary="A proof-of-work challenge for following a network (public)",
)
def follow_challenge(request: AuthedRequest, slug: str) -> dict:
    public_network(slug)
    return antispam.create_challenge()


@router.post(
    "/networks/{slug}/followers",
    response={202: FollowOut, **ERRORS},
    auth=None,
    summary="Follow a network by e-mail (public, rate-limited, challenge required)",
)
def follow(request: AuthedRequest, slug: str, data: FollowIn) -> Status:
    """Sends one confirmation link; nothing else is sent before it is used. Following twice
    answers the same and sends nothing new to an address that already follows."""
    network = public_network(slug)
    followers.clean_email(data.email)
    verdict = antispam.verify_payload(
        request, scope=FOLLOW_SCOPE, honeypot=data.website, altcha=data.altcha, email=data.email
    )
    if not verdict.is_bot:
        followers.follow_network(
            network=network, email=data.email, language=(get_language() or "")[:2]
        )
    return Status(202, {"detail": str(followers.FOLLOW_SENT)})
