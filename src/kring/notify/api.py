"""``GET/PUT /api/v1/me/notifications``: a person's choices per kind and channel."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema
from pydantic import Field

from kring.api.schemas import ERRORS
from kring.people.auth import AuthedRequest

from . import services
from .kinds import get_kind

router = Router()


class ChannelOut(Schema):
    name: str = Field(description='"email", and "push" once the person subscribed a device')
    label: str


class PreferenceOut(Schema):
    kind: str
    label: str
    group: str
    channels: dict[str, str] = Field(description='channel → mode, e.g. {"email": "daily"}')
    choices: dict[str, list[str]] = Field(description="channel → the modes one may choose")


class NotificationsOut(Schema):
    channels: list[ChannelOut]
    preferences: list[PreferenceOut]


class PreferenceIn(Schema):
    kind: str = Field(max_length=40)
    channels: dict[str, str] = Field(description='channel → mode: "now", "daily" or "off"')


class NotificationsIn(Schema):
    preferences: list[PreferenceIn] = Field(max_length=100)


def _out(user: Any) -> dict[str, Any]:
    channels = services.channels_for(user)
    by_name = {c.name: c for c in channels}
    rows = []
    for row in services.preferences_for(user):
        kind = get_kind(row["kind"])
        rows.append(
            {
                "kind": kind.name,
                "label": str(kind.label),
                "group": str(kind.group),
                "channels": row["channels"],
                "choices": {
                    name: list(services.modes_for(kind, by_name[name])) for name in row["channels"]
                },
            }
        )
    return {
        "channels": [{"name": c.name, "label": str(c.label)} for c in channels],
        "preferences": rows,
    }


@router.get(
    "/me/notifications",
    response={200: NotificationsOut, **ERRORS},
    summary="My notification preferences",
)
def get_notifications(request: AuthedRequest) -> dict[str, Any]:
    return _out(request.user)


@router.put(
    "/me/notifications",
    response={200: NotificationsOut, **ERRORS},
    summary="Change my notification preferences",
    description=(
        "Send only the kinds and channels you change; the answer holds all of them. "
        "An unknown kind, channel or mode is refused as a whole (422)."
    ),
)
def put_notifications(request: AuthedRequest, payload: NotificationsIn) -> dict[str, Any]:
    choices: dict[str, dict[str, str]] = {}
    for item in payload.preferences:
        choices.setdefault(item.kind, {}).update(item.channels)
    services.set_preferences(actor=request.user, choices=choices)
    return _out(request.user)
