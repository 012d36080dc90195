"""Web push in the JSON API: the installation's public key, a person's devices, renewal.

``GET /push/public-key`` and ``POST /push/renew`` need no account (the service worker has no
session; renewal is authorised by the old subscription's secret). The rest is the caller's own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from ninja import Field, Router, Schema, Status

from kring.api.schemas import ERRORS
from kring.core.errors import DomainError
from kring.people.auth import AuthedRequest
from kring.privacy.ratelimit import over_limit

from . import selectors, services
from .checks import device_label
from .models import ENDPOINT_MAX, PushSubscription
from .vapid import public_key

router = Router()


class PublicKeyOut(Schema):
    public_key: str = Field(
        description="The VAPID public key: an uncompressed P-256 point (65 bytes) in base64url, "
        "for pushManager.subscribe({applicationServerKey})"
    )


class KeysIn(Schema):
    p256dh: str = Field(max_length=120, description="base64url, 65 bytes (0x04, x, y)")
    auth: str = Field(max_length=40, description="base64url, 16 bytes")


class SubscriptionIn(Schema):
    """The browser's ``PushSubscription.toJSON()``, plus an optional label."""

    endpoint: str = Field(max_length=ENDPOINT_MAX)
    keys: KeysIn
    expirationTime: int | None = None
    device: str = Field("", max_length=100, description="e.g. 'Phone'; default: from User-Agent")


class RenewIn(Schema):
    old_endpoint: str = Field(max_length=ENDPOINT_MAX)
    old_auth: str = Field(max_length=40, description="the old subscription's keys.auth")
    subscription: SubscriptionIn


class SubscriptionOut(Schema):
    id: int
    endpoint: str
    device: str
    created: datetime


def _out(sub: PushSubscription) -> dict[str, Any]:
    return {"id": sub.pk, "endpoint": sub.endpoint, "device": sub.device, "created": sub.created_at}


@router.get(
    "/push/public-key",
    response={200: PublicKeyOut, **ERRORS},
    auth=None,
    summary="The key browsers subscribe with",
)
def get_public_key(request: Any) -> dict[str, str]:
    return {"public_key": public_key()}


@router.get(
    "/me/push-subscriptions",
    response={200: list[SubscriptionOut], **ERRORS},
    summary="My devices for push notifications",
)
def list_subscriptions(request: AuthedRequest) -> list[dict[str, Any]]:
    return [_out(s) for s in selectors.devices_of(request.user)]


@router.post(
    "/me/push-subscriptions",
    response={200: SubscriptionOut, 201: SubscriptionOut, **ERRORS},
    summary="Add this device for push notifications",
    description=(
        "Send the browser's `PushSubscription.toJSON()`. 201 for a new device, 200 when this "
        "endpoint is already yours (keys and label are updated); an endpoint another account "
        "registered moves to you. The endpoint must be https on a public host; keys.p256dh a "
        "65-byte uncompressed P-256 key and keys.auth 16 bytes, both base64url (else 422)."
    ),
)
def add_subscription(request: AuthedRequest, payload: SubscriptionIn) -> Status:
    if over_limit(
        request, group="push.subscribe", key=f"u:{request.user.pk}", rate=settings.KRING_FORM_RATE
    ):
        raise DomainError("Too many requests; try again in a minute.", code="throttled", status=429)
    sub, created = services.subscribe_device(
        actor=request.user,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        device=payload.device or device_label(request.headers.get("User-Agent", "")),
    )
    return Status(201 if created else 200, _out(sub))


@router.delete(
    "/me/push-subscriptions/{subscription_id}",
    response={204: None, **ERRORS},
    summary="Remove a device",
)
def delete_subscription(request: AuthedRequest, subscription_id: int) -> Status:
    services.remove_device(actor=request.user, subscription_id=subscription_id)
    return Status(204, None)


@router.post(
    "/push/renew",
    response={200: SubscriptionOut, **ERRORS},
    auth=None,
    summary="Replace a subscription the browser rotated",
    description=(
        "For the service worker's `pushsubscriptionchange`: the old endpoint and its "
        "keys.auth prove it is the same browser; 404 when they do not match."
    ),
)
def renew_subscription(request: Any, payload: RenewIn) -> dict[str, Any]:
    sub = services.renew_subscription(
        old_endpoint=payload.old_endpoint,
        old_auth=payload.old_auth,
        endpoint=payload.subscription.endpoint,
        p256dh=payload.subscription.keys.p256dh,
        auth=payload.subscription.keys.auth,
    )
    return _out(sub)
