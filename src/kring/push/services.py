"""Use-cases of web push: add a device, remove one, renew one the browser rotated, send a test."""

from __future__ import annotations

from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, NotFound
from kring.core.tasks import enqueue_on_commit
from kring.people.models import User

from .checks import check_endpoint, check_keys
from .models import PushSubscription
from .tasks import send_test_push

#: Devices per person (old ones go by themselves when their push service answers 404/410).
MAX_DEVICES = 20


@transaction.atomic
def subscribe_device(
    *, actor: User, endpoint: str, p256dh: str, auth: str, device: str = ""
) -> tuple[PushSubscription, bool]:
    """Store the browser's subscription for ``actor``; ``(subscription, created)``.

    Idempotent on the endpoint: the same browser again updates its keys and label. An endpoint
    another account registered moves to ``actor`` (one browser profile, another person logged
    in: the device now belongs to whoever subscribed last)."""
    endpoint = check_endpoint(endpoint)
    p256dh, auth = check_keys(p256dh, auth)
    device = " ".join((device or "").split())[:100]
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is not None and existing.user_id == actor.pk:
        existing.p256dh, existing.auth = p256dh, auth
        existing.device = device or existing.device
        existing.save(update_fields=["p256dh", "auth", "device"])
        return existing, False
    count = PushSubscription.objects.filter(user=actor).count()
    if count >= MAX_DEVICES:
        raise Conflict(
            _("You have %(count)s devices for notifications; remove one first."), count=count
        )
    if existing is not None:
        previous = existing.user_id
        existing.user = actor
        existing.p256dh, existing.auth, existing.device = p256dh, auth, device
        existing.failures, existing.last_success_at = 0, None
        existing.save()
        sub = existing
        audit.record(verb="push.moved", actor=actor, obj=sub, previous_user=previous)
    else:
        sub = PushSubscription.objects.create(
            user=actor, endpoint=endpoint, p256dh=p256dh, auth=auth, device=device
        )
        audit.record(verb="push.subscribed", actor=actor, obj=sub, device=device)
    return sub, True


@transaction.atomic
def remove_device(*, actor: User, subscription_id: int) -> None:
    """Someone else's subscription is "not found", like one that does not exist."""
    deleted, _rows = PushSubscription.objects.filter(pk=subscription_id, user=actor).delete()
    if not deleted:
        raise NotFound(_("There is no such device."))
    audit.record(verb="push.removed", actor=actor, subscription=subscription_id)


@transaction.atomic
def renew_subscription(
    *, old_endpoint: str, old_auth: str, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """The browser replaced a subscription (``pushsubscriptionchange``): the service worker has
    no session, so knowing the old endpoint *and* its auth secret (which only that browser and
    we hold) authorises the swap. Anything that does not match is "not found"."""
    endpoint = check_endpoint(endpoint)
    p256dh, auth = check_keys(p256dh, auth)
    sub = PushSubscription.objects.select_for_update().filter(endpoint=old_endpoint).first()
    if sub is None or not constant_time_compare(sub.auth, (old_auth or "").rstrip("=")):
        raise NotFound(_("There is no such subscription."))
    if endpoint != sub.endpoint:
        PushSubscription.objects.filter(endpoint=endpoint).exclude(pk=sub.pk).delete()
    sub.endpoint, sub.p256dh, sub.auth = endpoint, p256dh, auth
    sub.failures = 0
    sub.save(update_fields=["endpoint", "p256dh", "auth", "failures"])
    audit.record(verb="push.renewed", actor=None, obj=sub)
    return sub


def send_test(*, actor: User) -> None:
    """A test notification to each of the person's devices (in the background)."""
    if not PushSubscription.objects.filter(user=actor).exists():
        raise NotFound(_("Turn on notifications on a device first."))
    with transaction.atomic():
        enqueue_on_commit(send_test_push, actor.pk)
