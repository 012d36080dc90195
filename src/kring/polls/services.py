"""Use-cases for date polls: propose dates, answer (members and guests), decide.

Deciding picks one option: it creates the gathering (or fills in the gathering the poll was
made for) through the gatherings use-cases, and tells everyone who answered by e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.tasks import enqueue_on_commit
from kring.gatherings import services as gatherings
from kring.gatherings.models import Gathering
from kring.networks.access import require_host, require_member
from kring.networks.models import Network
from kring.notify.services import Address, notify
from kring.people.models import User

from .models import Answer, Poll, PollOption, PollResponse

MIN_OPTIONS = 2
MAX_OPTIONS = 8
MAX_DURATION = timedelta(days=3)


@dataclass(frozen=True)
class OptionIn:
    starts_at: datetime
    ends_at: datetime
    venue: str = ""


def _check_options(options: list[OptionIn], now: datetime) -> None:
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise DomainError(
            _("Propose between %(min)s and %(max)s dates."),
            field="options",
            min=MIN_OPTIONS,
            max=MAX_OPTIONS,
        )
    seen = set()
    for i, o in enumerate(options, start=1):
        if timezone.is_naive(o.starts_at) or timezone.is_naive(o.ends_at):
            raise DomainError(_("Give times with a time zone."), field="options")
        if o.starts_at <= now:
            raise DomainError(
                _("Date %(n)s is in the past; propose dates to come."), field="options", n=i
            )
        if o.ends_at <= o.starts_at:
            raise DomainError(_("Date %(n)s ends before it starts."), field="options", n=i)
        if o.ends_at - o.starts_at > MAX_DURATION:
            raise DomainError(_("Date %(n)s lasts longer than three days."), field="options", n=i)
        key = (o.starts_at, o.ends_at, o.venue.strip())
        if key in seen:
            raise DomainError(_("Date %(n)s is proposed twice."), field="options", n=i)
        seen.add(key)


@transaction.atomic
def create_poll(
    *,
    actor: Any,
    network: Network,
    title: str,
    options: list[OptionIn],
    closes_at: datetime | None = None,
    description: str = "",
    open_to_guests: bool = False,
    gathering: Gathering | None = None,
) -> Poll:
    require_host(actor, network)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the poll a title."), field="title")
    now = timezone.now()
    _check_options(options, now)
    if closes_at is not None:
        if timezone.is_naive(closes_at):
            raise DomainError(_("Give times with a time zone."), field="closes_at")
        if closes_at <= now:
            raise DomainError(_("The poll must close in the future."), field="closes_at")
    if gathering is not None and gathering.network_id != network.pk:
        raise DomainError(_("No such gathering."), field="gathering")
    poll = Poll.objects.create(
        network=network,
        title=title[:200],
        description=description,
        closes_at=closes_at,
        open_to_guests=open_to_guests,
        gathering=gathering,
        created_by=actor,
    )
    PollOption.objects.bulk_create(
        PollOption(
            poll=poll,
            starts_at=o.starts_at,
            ends_at=o.ends_at,
            venue=o.venue.strip()[:200],
            position=i,
        )
        for i, o in enumerate(options)
    )
    audit.record(verb="poll.created", actor=actor, network=network, obj=poll)
    return poll


def _clean_answers(poll: Poll, answers: dict[Any, Any]) -> dict[str, str]:
    ids = {str(pk) for pk in poll.options.values_list("pk", flat=True)}
    clean: dict[str, str] = {}
    for key, value in (answers or {}).items():
        key = str(key)
        if key not in ids:
            raise DomainError(_("Option %(id)s is not part of this poll."), field="answers", id=key)
        if value not in Answer.values:
            raise DomainError(_("Answer yes, if_need_be or no for each date."), field="answers")
        clean[key] = value
    if not clean:
        raise DomainError(_("Answer at least one date."), field="answers")
    return clean


def _check_open(poll: Poll) -> None:
    if poll.is_decided:
        raise Conflict(_("The date of this poll has been picked already."))
    if poll.is_closed:
        raise Conflict(_("This poll is closed."))


@transaction.atomic
def answer_poll(*, actor: Any, poll: Poll, answers: dict[Any, Any]) -> PollResponse:
    """A member answers (again: the new answers replace the old ones per date)."""
    require_member(actor, poll.network)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    _check_open(poll)
    clean = _clean_answers(poll, answers)
    response = PollResponse.objects.filter(poll=poll, user=actor).first()
    if response is None:
        response = PollResponse(poll=poll, user=actor)
    response.answers = {**response.answers, **clean}
    response.updated_at = timezone.now()
    response.save()
    audit.record(verb="poll.answered", actor=actor, network=poll.network, obj=poll)
    return response


@transaction.atomic
def answer_poll_as_guest(
    *,
    poll: Poll,
    name: str,
    email: str,
    answers: dict[Any, Any],
    response: PollResponse | None = None,
) -> PollResponse:
    """A guest answers through the share link; ``response`` (from the guest's own edit link)
    changes an earlier answer. A second answer with the same address is refused."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    _check_open(poll)
    name = (name or "").strip()[:120]
    email = (email or "").strip().lower()
    if not name:
        raise DomainError(_("Please give your name."), field="name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Please give a valid e-mail address."), field="email") from exc
    clean = _clean_answers(poll, answers)
    if response is None:
        if PollResponse.objects.filter(poll=poll, user__isnull=True, email=email).exists():
            raise Conflict(
                _("This e-mail address has answered already; use the link you got to change it."),
                field="email",
            )
        response = PollResponse(poll=poll, email=email)
    elif response.poll_id != poll.pk or response.user_id is not None:
        raise NotAllowed(_("This link is not valid."))
    response.name = name
    response.answers = {**response.answers, **clean}
    response.updated_at = timezone.now()
    response.save()
    audit.record(verb="poll.guest_answered", network=poll.network, obj=poll)
    return response


@dataclass
class OptionTotals:
    option: PollOption
    yes: int
    if_need_be: int
    no: int

    @property
    def score(self) -> tuple[int, int]:
        """Most yes first, then most "if need be"."""
        return (self.yes, self.if_need_be)


def totals(poll: Poll) -> list[OptionTotals]:
    options = list(poll.options.all())
    counts = {o.pk: {a: 0 for a in Answer.values} for o in options}
    for answers in poll.responses.values_list("answers", flat=True):
        for key, value in answers.items():
            if key.isdigit() and int(key) in counts and value in Answer.values:
                counts[int(key)][value] += 1
    return [
        OptionTotals(
            option=o,
            yes=counts[o.pk]["yes"],
            if_need_be=counts[o.pk]["if_need_be"],
            no=counts[o.pk]["no"],
        )
        for o in options
    ]


def best_option_ids(rows: list[OptionTotals]) -> set[int]:
    if not rows:
        return set()
    top = max(r.score for r in rows)
    return {r.option.pk for r in rows if r.score == top and top != (0, 0)}


@transaction.atomic
def decide_poll(*, actor: Any, poll: Poll, option_id: int) -> Gathering:
    """The host picks a date: create the gathering (or move the one the poll was made for to
    that date) and tell everyone who answered."""
    require_host(actor, poll.network)
    poll = Poll.objects.select_for_update().select_related("network").get(pk=poll.pk)
    if poll.is_decided:
        raise Conflict(_("The date of this poll has been picked already."))
    option = poll.options.filter(pk=option_id).first()
    if option is None:
        raise DomainError(
            _("Option %(id)s is not part of this poll."), field="option_id", id=option_id
        )
    if option.starts_at <= timezone.now():
        raise Conflict(_("This date has passed; pick another one."), field="option_id")
    target = poll.gathering
    if target is not None and not target.is_cancelled:
        data: dict[str, Any] = {"starts_at": option.starts_at, "ends_at": option.ends_at}
        if option.venue:
            data["venue_name"] = option.venue
        gatherings.update_gathering(actor=actor, gathering=target, data=data)
        gathering = Gathering.objects.get(pk=target.pk)
    else:
        gathering = gatherings.create_gathering(
            actor=actor,
            network=poll.network,
            title=poll.title,
            description=poll.description,
            starts_at=option.starts_at,
            ends_at=option.ends_at,
            venue_name=option.venue,
            open_to_guests=poll.open_to_guests,
        )
    Poll.objects.filter(pk=poll.pk).update(
        decided_option=option, decided_at=timezone.now(), gathering=gathering
    )
    enqueue_on_commit(send_poll_decided, poll.pk)
    audit.record(
        verb="poll.decided", actor=actor, network=poll.network, obj=poll, gathering=gathering.pk
    )
    return gathering


@task
def send_poll_decided(poll_id: int) -> int:
    """Tell everyone who answered which date was picked (members in their language)."""
    poll = (
        Poll.objects.select_related("network", "decided_option", "gathering")
        .filter(pk=poll_id)
        .first()
    )
    if poll is None or poll.decided_option is None or poll.gathering is None:
        return 0
    network = poll.network
    sent = 0
    for response in poll.responses.select_related("user"):
        if response.user is not None:
            recipient: User | Address = response.user
            kind = "poll"
            url = settings.SITE_URL + reverse(
                "gatherings:detail",
                kwargs={"slug": network.slug, "gathering_id": poll.gathering.pk},
            )
        else:
            recipient, kind = Address(response.email, language=network.language), "guest"
            url = settings.SITE_URL + reverse(
                "polls_global:guest", kwargs={"token": poll.share_token}
            )
            if poll.gathering.open_to_guests:
                url = settings.SITE_URL + reverse(
                    "gatherings:guest_signup",
                    kwargs={"slug": network.slug, "gathering_id": poll.gathering.pk},
                )
        notify(
            kind=kind,
            recipient=recipient,
            network=network,
            idempotency_key=f"poll.decided:{poll.pk}:{poll.decided_option.pk}",
            template="polls/email/decided",
            context={
                "poll": poll,
                "network": network,
                "option": poll.decided_option,
                "gathering": poll.gathering,
                "name": response.display_name,
                "guest": response.is_guest,
                "url": url,
            },
        )
        sent += 1
    return sent
