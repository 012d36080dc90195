"""Reads of web push."""

from __future__ import annotations

from django.db.models import QuerySet

from kring.people.models import User

from .models import PushSubscription


def devices_of(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("created_at", "pk")
