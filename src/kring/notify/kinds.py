"""What Kring tells people about: the kinds of notification, one registry.

Every message to a person has a *kind*. A kind says how it is delivered by default and what
a person may choose for it on the preferences page (``/notifications/``). Apps add their own
kinds with :func:`register_kind` (at import time of their module or in ``AppConfig.ready()``);
the kinds of the existing apps are declared here in one list so the page reads as one whole.

- ``optional=False``: a transactional message the person asked for or must get (an
  invitation, a guest's confirmation, a data export). Always sent by e-mail at once; not
  listed on the preferences page.
- ``modes``: the e-mail choices a person has — ``now`` (at once), ``daily`` (one bundle a day)
  and ``off``. A weekly digest is itself a bundle, so it only offers ``now`` and ``off``.
- ``default``: the e-mail mode without an explicit choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

NOW = "now"
DAILY = "daily"
OFF = "off"
EMAIL_MODES = (NOW, DAILY, OFF)


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # a lazy translated string
    group: Any = ""  # a heading on the preferences page
    default: str = NOW
    modes: tuple[str, ...] = EMAIL_MODES
    optional: bool = True
    push: bool = True  # may go to web push (when the person subscribed a device)
    order: int = 50
    now_label: Any = None  # how "now" reads on the preferences page, e.g. "Weekly"


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    if kind.default not in kind.modes:
        raise ValueError(f"default {kind.default!r} is not one of {kind.modes!r}")
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Unknown notification kind {name!r}: register it first") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.name))


def optional_kinds() -> list[Kind]:
    """The kinds a person chooses for (the preferences page and API list these)."""
    return [k for k in all_kinds() if k.optional]


_PEOPLE = _("From people")
_GATHERINGS = _("Gatherings")
_NETWORK = _("My network")
_HOSTING = _("For hosts")
_ALWAYS = ""

for _kind in (
    # From people and hosts
    Kind("host_message", _("Messages from the hosts"), _PEOPLE, order=10),
    Kind("message", _("New messages in my conversations"), _PEOPLE, order=11),
    Kind("introduction", _("Introductions and proposed times"), _PEOPLE, order=12),
    Kind("referral", _("Referrals I receive"), _PEOPLE, order=13),
    # Gatherings
    Kind("gathering_announced", _("New gatherings"), _GATHERINGS, order=20),
    Kind("gathering_changed", _("Changes and cancellations"), _GATHERINGS, order=21),
    Kind(
        "gathering_reminder",
        _("Reminders: the day before, unread agenda"),
        _GATHERINGS,
        order=22,
    ),
    Kind("agenda_published", _("An agenda is published"), _GATHERINGS, order=23),
    Kind("waitlist", _("A place for me from the waiting list"), _GATHERINGS, order=24),
    Kind("discussion", _("Comments on gatherings I take part in"), _GATHERINGS, order=25),
    Kind("poll", _("The date chosen in a poll I answered"), _GATHERINGS, order=26),
    # My network
    Kind("action_overdue", _("Reminders about my action items"), _NETWORK, order=30),
    Kind("help_asked", _("Someone asks me to help with a request"), _NETWORK, order=31),
    Kind("intention_review", _("A yearly look at my intention"), _NETWORK, order=32),
    Kind("charter", _("The charter changed"), _NETWORK, order=33),
    Kind("engagement", _("A note when I have been quiet for a while"), _NETWORK, order=34),
    Kind(
        "digest",
        _("Weekly digest"),
        _NETWORK,
        modes=(NOW, OFF),
        push=False,
        order=35,
        now_label=_("Every week"),
    ),
    # Hosts
    Kind("host_requests", _("New requests for help and feedback"), _HOSTING, order=40),
    Kind("host_applications", _("New applications"), _HOSTING, order=41),
    # Always sent: answers to something the person did, or needed to take part
    Kind("invitation", _("Invitations"), _ALWAYS, optional=False, push=False, order=90),
    Kind("guest", _("Guest sign-ups"), _ALWAYS, optional=False, push=False, order=91),
    Kind("application", _("My application"), _ALWAYS, optional=False, push=False, order=92),
    Kind("request_status", _("My request for help"), _ALWAYS, optional=False, push=False, order=93),
    Kind("account", _("My account and data"), _ALWAYS, optional=False, push=False, order=94),
    # People following a network by e-mail have no account: their unfollow link is the choice
    Kind("follower", _("News for followers"), _ALWAYS, optional=False, push=False, order=95),
    Kind("bundle", _("Daily bundle"), _ALWAYS, optional=False, push=False, order=99),
):
    register_kind(_kind)
