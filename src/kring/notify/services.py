"""The one notification layer: every message Kring sends to a person goes through :func:`notify`.

``notify()`` decides per person, per kind and per channel (e-mail now, in the daily bundle, or
off; web push once that channel is registered), renders the message in the recipient's own
language with links built from ``KRING_SITE_URL``, and writes one :class:`Delivery` row per
recipient and channel whose key is unique: a task retried after a crash finds the row and sends
nobody a second message. See ``docs/notify.md``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template import Context, TemplateDoesNotExist, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.core import audit
from kring.core.errors import DomainError
from kring.networks.models import Network
from kring.people.models import User

from . import channels as channel_registry
from .channels import Message
from .kinds import DAILY, OFF, Kind, get_kind, optional_kinds
from .models import Delivery, DeliveryStatus, Preference

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    """A claimed (pending) delivery older than this is taken over by a retry.

    The same span as a task's lease (``KRING_TASK_LEASE_SECONDS``, ``kring.core.worker``): a
    task runs again only after its worker stopped renewing that lease, i.e. died — so a row
    it left pending for that long was never finished (a live worker sends one message within
    the mail timeout). A longer span would leave the message it died on unsent by the retry.
    """
    return timedelta(seconds=settings.KRING_TASK_LEASE_SECONDS)


UNSUBSCRIBE_SALT = "kring.notify.unsubscribe"


@dataclass(frozen=True)
class Address:
    """A recipient without an account (a guest, an applicant, an invitee, a requester)."""

    email: str
    language: str = ""
    name: str = ""


Recipient = User | Address


# --- Rendering ------------------------------------------------------------------------------


def render_text(template_name: str, context: Mapping[str, Any]) -> str:
    """Render a plain-text template with autoescape off: ``Q&A met O'Brien`` stays that.

    (Django escapes every template by default, whatever its extension; a text mail must not
    show ``&amp;`` or ``&#x27;``.)
    """
    template = engines["django"].engine.get_template(template_name)  # type: ignore[attr-defined]
    return template.render(Context(dict(context), autoescape=False))


def absolute(url: str) -> str:
    """A path becomes a link on ``KRING_SITE_URL``; an absolute URL stays as it is."""
    if not url or "://" in url:
        return url
    return settings.SITE_URL + url


def language_of(recipient: Recipient, network: Network | None = None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    chosen = getattr(recipient, "language", "") or ""
    if chosen in codes:
        return chosen
    if network is not None and network.language in codes:
        return network.language
    return settings.LANGUAGE_CODE


def render_message(
    *,
    kind: Kind,
    to: str,
    language: str,
    user: User | None,
    network: Network | None,
    template: str | None,
    context: Mapping[str, Any] | None,
    subject: Any,
    body: Any,
    url: str,
    headers: Mapping[str, str] | None = None,
    reply_to: list[str] | None = None,
) -> Message:
    headers = dict(headers or {})
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, "network": network, "url": url, **(context or {})}
        if template:
            subject_text = render_text(f"{template}_subject.txt", ctx)
            body_text = render_text(f"{template}.txt", ctx)
            try:
                html = render_to_string(f"{template}.html", ctx)
            except TemplateDoesNotExist:  # the HTML part is optional
                html = None
        else:
            subject_text, body_text, html = str(subject or ""), str(body or ""), None
        subject_text = " ".join(subject_text.split())
        if kind.optional and user is not None:
            unsubscribe_url = absolute(
                reverse("notify:unsubscribe", args=[make_unsubscribe_token(user, kind.name)])
            )
            headers.setdefault("List-Unsubscribe", f"<{unsubscribe_url}>")
            headers.setdefault("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
            body_text = (
                body_text.rstrip("\n")
                + "\n\n-- \n"
                + _("You get this e-mail because of your choice for “%(kind)s”. Change it: %(url)s")
                % {"kind": kind.label, "url": absolute(reverse("notify:preferences"))}
                + "\n"
            )
    return Message(
        kind=kind.name,
        to=to,
        language=language,
        subject=subject_text,
        body=body_text,
        html=html,
        url=absolute(url),
        headers=headers,
        reply_to=list(reply_to or []),
        user=user,
    )


# --- Choices --------------------------------------------------------------------------------


def modes_for(kind: Kind, channel: Any) -> tuple[str, ...]:
    """What a person may choose for this kind on this channel (empty: not offered)."""
    if not kind.optional:
        return ()
    if channel.name == "email":
        return tuple(m for m in channel.modes if m in kind.modes)
    if not kind.push:
        return ()
    return tuple(m for m in channel.modes if m != DAILY)


def _chosen(user: User | None) -> dict[tuple[str, str], str]:
    if user is None:
        return {}
    rows = Preference.objects.filter(user=user).values_list("kind", "channel", "mode")
    return {(kind, channel): mode for kind, channel, mode in rows}


def mode_of(
    kind: Kind, channel: Any, user: User | None, chosen: Mapping[tuple[str, str], str]
) -> str:
    if not kind.optional:  # transactional: always at once, e-mail only
        return "now" if channel.name == "email" else OFF
    offered = modes_for(kind, channel)
    if not offered or user is None:
        return OFF if channel.name != "email" else kind.default
    mode = chosen.get((kind.name, channel.name), channel.default_mode(kind))
    return mode if mode in offered else offered[0]


def preferences_for(user: User) -> list[dict[str, Any]]:
    """Every kind a person chooses for, with the mode per channel available to them."""
    chosen = _chosen(user)
    chans = [c for c in channel_registry.all_channels() if c.available_for(user)]
    rows = []
    for kind in optional_kinds():
        per_channel = {}
        for channel in chans:
            if modes_for(kind, channel):
                per_channel[channel.name] = mode_of(kind, channel, user, chosen)
        rows.append(
            {"kind": kind.name, "label": kind, "group": kind.group, "channels": per_channel}
        )
    return rows


def channel_setup_links() -> list[dict[str, str]]:
    """Channels with a page of their own (push: the devices page), for the preferences page."""
    links = []
    for channel in channel_registry.all_channels():
        url_name = getattr(channel, "settings_url", "")
        if url_name:
            links.append({"url": reverse(url_name), "label": str(channel.settings_label)})  # type: ignore[attr-defined]  # optional, checked above
    return links


def channels_for(user: User) -> list[Any]:
    return [c for c in channel_registry.all_channels() if c.available_for(user)]


@transaction.atomic
def set_preferences(*, actor: User, choices: Mapping[str, Mapping[str, str]]) -> None:
    """``choices``: ``{kind: {channel: mode}}``; validated whole before anything is written."""
    clean: list[tuple[str, str, str]] = []
    for kind_name, per_channel in choices.items():
        try:
            kind = get_kind(kind_name)
        except LookupError:
            kind = None
        if kind is None or not kind.optional:
            raise DomainError(
                _("There is no notification kind “%(kind)s”."),
                kind=kind_name,
                field=f"preferences.{kind_name}",
                status=422,
            )
        for channel_name, mode in per_channel.items():
            try:
                channel = channel_registry.get_channel(channel_name)
            except KeyError:
                channel = None
            offered = modes_for(kind, channel) if channel is not None else ()
            if mode not in offered:
                raise DomainError(
                    _("“%(mode)s” is not a choice for “%(kind)s” by %(channel)s."),
                    mode=mode,
                    kind=kind.label,
                    channel=channel_name,
                    field=f"preferences.{kind_name}.{channel_name}",
                    status=422,
                )
            clean.append((kind_name, channel_name, mode))
    for kind_name, channel_name, mode in clean:
        Preference.objects.update_or_create(
            user=actor, kind=kind_name, channel=channel_name, defaults={"mode": mode}
        )
    if clean:
        changed: dict[str, Any] = {f"{k}.{c}": m for k, c, m in clean}
        audit.record(verb="notifications.updated", actor=actor, network=None, **changed)


def make_unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps([user.pk, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, Kind] | None:
    try:
        user_id, kind_name = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        kind = get_kind(kind_name)
    except (signing.BadSignature, ValueError, TypeError, LookupError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not kind.optional:
        return None
    return user, kind


@transaction.atomic
def unsubscribe(*, user: User, kind: Kind) -> None:
    """One-click: no more e-mail of this kind (the person can turn it on again)."""
    Preference.objects.update_or_create(
        user=user, kind=kind.name, channel="email", defaults={"mode": OFF}
    )
    audit.record(
        verb="notifications.unsubscribed", actor=None, network=None, obj=user, kind=kind.name
    )


# --- Delivery -------------------------------------------------------------------------------


def delivery_key(recipient: Recipient, idempotency_key: str) -> str:
    who = f"u{recipient.pk}" if isinstance(recipient, User) else f"a{recipient.email.lower()}"
    return hashlib.sha256(f"{who}|{idempotency_key}".encode()).hexdigest()


def _claim(defaults: dict[str, Any], *, key: str, channel: str) -> Delivery | None:
    """Insert the row (status pending) or take over a failed/stale one; ``None`` when this
    message was already sent, bundled or skipped, or another sender holds it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                key=key,
                channel=channel,
                status=DeliveryStatus.PENDING,
                claimed_at=now,
                attempts=1,
                **defaults,
            )
    except IntegrityError:
        pass
    row = Delivery.objects.filter(key=key, channel=channel).first()
    if row is None:
        return None
    retry = row.status == DeliveryStatus.FAILED or (
        row.status == DeliveryStatus.PENDING
        and (row.claimed_at is None or row.claimed_at < now - stale_after())
    )
    if not retry:
        return None
    taken = Delivery.objects.filter(pk=row.pk, status=row.status, claimed_at=row.claimed_at).update(
        status=DeliveryStatus.PENDING, claimed_at=now, attempts=row.attempts + 1
    )
    if not taken:
        return None  # another retry won the race
    row.refresh_from_db()
    return row


def _finish(row: Delivery, status: str, **fields: Any) -> None:
    Delivery.objects.filter(pk=row.pk).update(status=status, **fields)
    row.status = status
    for name, value in fields.items():
        setattr(row, name, value)


def notify(
    *,
    kind: str,
    recipient: Recipient,
    idempotency_key: str,
    network: Network | None = None,
    template: str | None = None,
    context: Mapping[str, Any] | None = None,
    subject: Any = None,
    body: Any = None,
    url: str = "",
    headers: Mapping[str, str] | None = None,
    reply_to: list[str] | None = None,
    language: str | None = None,
) -> dict[str, str]:
    """Tell one person one thing, on each channel by their choice. Returns
    ``{channel: status}`` for what this call did (``"duplicate"`` when an earlier call with the
    same ``idempotency_key`` already handled it).

    ``template`` names ``<template>_subject.txt``, ``<template>.txt`` and an optional
    ``<template>.html``, rendered with ``context`` (plus ``site_url``, ``network`` and ``url``)
    in the recipient's language; or give ``subject`` and ``body`` as text. ``url`` is the page
    the message is about (a path becomes absolute on ``KRING_SITE_URL``).
    ``idempotency_key`` names this message for this occasion (e.g. ``"gathering.changed:12:3"``);
    the layer adds the recipient, so the same key fans out to everyone exactly once.
    """
    the_kind = get_kind(kind)
    user = recipient if isinstance(recipient, User) else None
    if user is not None and not user.is_active:
        return {}
    address = user.email if user is not None else recipient.email
    lang = language or language_of(recipient, network)
    key = delivery_key(recipient, idempotency_key)
    chosen = _chosen(user)
    message: Message | None = None
    results: dict[str, str] = {}
    failure: Exception | None = None
    for channel in channel_registry.all_channels():
        if channel.name != "email" and (user is None or not channel.available_for(user)):
            continue
        if channel.name == "email" and (not address or address.lower().endswith(".invalid")):
            continue  # RFC 2606: never deliverable (e.g. a guest who signed up from the fediverse)
        if channel.name != "email" and not modes_for(the_kind, channel):
            continue  # not offered on this channel (e.g. a digest by push)
        mode = mode_of(the_kind, channel, user, chosen)
        defaults = {
            "idempotency_key": idempotency_key[:200],
            "kind": the_kind.name,
            "user": user,
            "address": address if channel.name == "email" else "",
            "network": network,
            "language": lang,
        }
        if mode == OFF:
            try:
                with transaction.atomic():
                    Delivery.objects.create(
                        key=key,
                        channel=channel.name,
                        status=DeliveryStatus.SKIPPED,
                        reason="off",
                        **defaults,
                    )
                results[channel.name] = DeliveryStatus.SKIPPED
            except IntegrityError:
                results[channel.name] = "duplicate"
            continue
        row = _claim(defaults, key=key, channel=channel.name)
        if row is None:
            results[channel.name] = "duplicate"
            continue
        if message is None:
            message = render_message(
                kind=the_kind,
                to=address,
                language=lang,
                user=user,
                network=network,
                template=template,
                context=context,
                subject=subject,
                body=body,
                url=url,
                headers=headers,
                reply_to=reply_to,
            )
        if mode == DAILY:
            _finish(
                row,
                DeliveryStatus.BUNDLED,
                subject=message.subject[:255],
                body=_bundle_body(message.body),
                url=message.url[:500],
            )
            results[channel.name] = DeliveryStatus.BUNDLED
            continue
        try:
            channel.send(message)
        except Exception as exc:  # logged on the row; a retry sends it then
            logger.exception("notify: %s by %s to %s failed", kind, channel.name, address)
            if channel.name == "email":  # the task fails and is retried (the e-mail first)
                _finish(row, DeliveryStatus.FAILED, reason=str(exc)[:60])
                failure = exc
            else:  # kept for retry_failed(): one busy push service stops no one's e-mail
                _finish(
                    row,
                    DeliveryStatus.FAILED,
                    reason=str(exc)[:60],
                    subject=message.subject[:255],
                    body=message.body,
                    url=message.url[:500],
                )
            results[channel.name] = DeliveryStatus.FAILED
            continue
        _finish(row, DeliveryStatus.SENT, subject=message.subject[:255], sent_at=timezone.now())
        results[channel.name] = DeliveryStatus.SENT
    if failure is not None:
        raise failure
    return results


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try of a failed delivery: 1, 2, 4, 8 … minutes."""
    return timedelta(minutes=2 ** max(0, attempts - 1))


#: A failed delivery on another channel than e-mail is retried for this long.
RETRY_WINDOW = timedelta(days=1)


def failed_due(now: datetime) -> list[Delivery]:
    """Failed deliveries on channels other than e-mail whose next try is due (e-mail failures
    fail their task instead, which is retried whole)."""
    rows = (
        Delivery.objects.filter(
            status=DeliveryStatus.FAILED,
            attempts__lt=settings.KRING_TASK_MAX_ATTEMPTS,
            created_at__gte=now - RETRY_WINDOW,
            user__isnull=False,
        )
        .exclude(channel="email")
        .order_by("claimed_at", "pk")[:500]
    )
    return [
        r for r in rows if r.claimed_at is None or r.claimed_at <= now - retry_delay(r.attempts)
    ]


def retry_failed(*, now: datetime | None = None) -> int:
    """Send failed deliveries again (web push: the push service was busy), each claimed as in
    ``notify()`` so two runs never send one twice; returns how many went out now. After
    ``KRING_TASK_MAX_ATTEMPTS`` tries, or a day, a row stays failed."""
    now = now or timezone.now()
    sent = 0
    for row in failed_due(now):
        taken = Delivery.objects.filter(
            pk=row.pk, status=DeliveryStatus.FAILED, claimed_at=row.claimed_at
        ).update(status=DeliveryStatus.PENDING, claimed_at=now, attempts=row.attempts + 1)
        if not taken:
            continue
        user = User.objects.filter(pk=row.user_id or 0, is_active=True).first()
        try:
            channel = channel_registry.get_channel(row.channel)
        except KeyError:
            channel = None
        if user is None or channel is None or not channel.available_for(user):
            _finish(row, DeliveryStatus.SKIPPED, reason="unavailable", body="")
            continue
        message = Message(
            kind=row.kind,
            to="",
            language=row.language,
            subject=row.subject,
            body=row.body,
            url=row.url,
            user=user,
        )
        try:
            channel.send(message)
        except Exception as exc:
            logger.warning("notify: retry of %s by %s failed: %s", row.pk, row.channel, exc)
            _finish(row, DeliveryStatus.FAILED, reason=str(exc)[:60])
            continue
        _finish(row, DeliveryStatus.SENT, sent_at=timezone.now(), body="")
        sent += 1
    return sent


def _bundle_body(body: str) -> str:
    """The part of a message that goes into the daily bundle: without the footer."""
    return body.split("\n-- \n", 1)[0].strip()


# --- The daily bundle -----------------------------------------------------------------------


def send_bundle(*, user_id: int, day: str) -> int:
    """One e-mail with everything a person chose to get daily; returns how many items it held.

    Claimed like any delivery (key ``bundle:<day>``): a second run the same day sends nothing.
    The items are tied to the bundle before it is sent, so a retry re-sends the same items.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    kind = get_kind("bundle")
    idem = f"bundle:{day}"
    key = delivery_key(user, idem)
    pending = Delivery.objects.filter(user=user, channel="email", status=DeliveryStatus.BUNDLED)
    if not pending.exists():
        return 0
    lang = language_of(user)
    row = _claim(
        {
            "idempotency_key": idem,
            "kind": kind.name,
            "user": user,
            "address": user.email,
            "language": lang,
        },
        key=key,
        channel="email",
    )
    if row is None:
        return 0
    pending.filter(bundle__isnull=True).update(bundle=row)
    items = list(
        Delivery.objects.filter(bundle=row, status=DeliveryStatus.BUNDLED)
        .select_related("network")
        .order_by("created_at", "pk")
    )
    if not items:
        _finish(row, DeliveryStatus.SKIPPED, reason="empty")
        return 0
    message = render_message(
        kind=kind,
        to=user.email,
        language=lang,
        user=user,
        network=None,
        template="notify/email/bundle",
        context={"user": user, "items": items, "day": day},
        subject=None,
        body=None,
        url=reverse("notify:preferences"),
    )
    try:
        channel_registry.get_channel("email").send(message)
    except Exception as exc:
        _finish(row, DeliveryStatus.FAILED, reason=str(exc)[:60])
        raise
    now = timezone.now()
    with transaction.atomic():
        _finish(row, DeliveryStatus.SENT, subject=message.subject[:255], sent_at=now)
        Delivery.objects.filter(pk__in=[i.pk for i in items]).update(
            status=DeliveryStatus.SENT, sent_at=now, body=""
        )
    return len(items)


def purge_log(*, older_than: timedelta = timedelta(days=180)) -> int:
    """The log is for idempotency and for answering "did I get it?"; it is not kept forever."""
    cutoff = timezone.now() - older_than
    deleted, _rows = (
        Delivery.objects.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.BUNDLED)
    ).delete()
    return deleted
