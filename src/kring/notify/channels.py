"""Where a message goes: the channel registry. E-mail is built in; web push plugs in here.

A channel is any object with:

- ``name`` (``"email"``, ``"push"``), ``label`` (translated), ``modes`` (what a person may
  choose per kind, e.g. ``("now", "daily", "off")`` for e-mail, ``("now", "off")`` for push);
- ``default_mode(kind)`` — the mode without an explicit choice;
- ``available_for(user)`` — whether this person can receive on it at all (has an e-mail
  address; has subscribed a device for push). Unavailable channels are skipped quietly and
  hidden on the preferences page;
- ``send(message)`` — deliver one rendered :class:`Message` now, raising on failure;
- optionally ``settings_url`` (a URL name) and ``settings_label``: a page of its own, linked
  from the preferences page (push: the devices page).

Register with :func:`register_channel` in an ``AppConfig.ready()``. The phone issue's push
channel does: ``register_channel(PushChannel())`` with ``name = "push"`` and
``modes = ("now", "off")``; nothing else in Kring has to change — every ``notify()`` call
then also offers the message to push, by that person's choice, logged per channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext_lazy as _

from .kinds import EMAIL_MODES, Kind


@dataclass
class Message:
    """One rendered message for one person, in their language."""

    kind: str
    to: str  # the e-mail address (empty for a person without one)
    language: str
    subject: str
    body: str  # plain text, never HTML-escaped
    html: str | None = None
    url: str = ""  # absolute; the one place the message points to (push, bundles)
    headers: dict[str, str] = field(default_factory=dict)
    reply_to: list[str] = field(default_factory=list)
    user: Any = None  # the User, when the recipient has an account


class Channel(Protocol):
    name: str
    label: Any
    modes: tuple[str, ...]

    def default_mode(self, kind: Kind) -> str: ...

    def available_for(self, user: Any) -> bool: ...

    def send(self, message: Message) -> None: ...


class EmailChannel:
    name = "email"
    label = _("E-mail")
    modes: tuple[str, ...] = EMAIL_MODES

    def default_mode(self, kind: Kind) -> str:
        return kind.default

    def available_for(self, user: Any) -> bool:
        return bool(getattr(user, "email", ""))

    def send(self, message: Message) -> None:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers=message.headers,
            reply_to=message.reply_to or None,
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        mail.send()


_CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    _CHANNELS[channel.name] = channel


def unregister_channel(name: str) -> None:
    """For tests of a stand-in channel."""
    _CHANNELS.pop(name, None)


def get_channel(name: str) -> Channel:
    return _CHANNELS[name]


def all_channels() -> list[Channel]:
    """E-mail first, then the others in registration order."""
    return sorted(_CHANNELS.values(), key=lambda c: c.name != "email")
