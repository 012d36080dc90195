"""Use-cases for requests from third parties ("hulpvragen").

Lifecycle: new (waiting for triage) → open → matched → in progress → done, and closed from
any state. Triage: a host accepts (new → open, with a note) or declines (new → closed, with a
kind message that is e-mailed). The requester follows the request through a secret link.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.audit import record
from kring.core.errors import Conflict, DomainError, NotAllowed
from kring.core.tagging import split_tags
from kring.core.tasks import enqueue_on_commit
from kring.networks.access import is_host, membership_for, require_host, require_member
from kring.networks.models import Network
from kring.people.models import User
from kring.results.models import (
    TRANSITIONS,
    HelperHow,
    HelpRequest,
    RequestHelper,
    RequestStatus,
)
from kring.results.tasks import send_ask_mail, send_request_mail

MAX_TAGS = 8


def clean_tags(raw: str | list[str]) -> list[str]:
    """The request's topics by the one tag rule (``kring.core.tags``), at most ``MAX_TAGS``."""
    return split_tags(raw, limit=MAX_TAGS)


def _notify(kind: str, request: HelpRequest) -> None:

    # The event's own key: a retried task mails nobody twice, a later event mails again.
    enqueue_on_commit(send_request_mail, request.pk, kind, uuid.uuid4().hex)


@transaction.atomic
def submit_request(
    *,
    network: Network,
    name: str,
    email: str,
    need: str,
    organisation: str = "",
    tags: str | list[str] = "",
    language: str = "nl",
) -> HelpRequest:
    """File a request from a third party (spam checks happen before, in the view / API)."""
    if not network.public_page_enabled:
        raise NotAllowed(_("This network does not take requests online."))
    if not name.strip():
        raise DomainError(_("Tell us your name."), field="name")
    if not need.strip():
        raise DomainError(_("Tell us what you need help with."), field="need")
    salt = secrets.token_hex(16)
    request = HelpRequest.objects.create(
        network=network,
        name=name.strip(),
        email=email.strip(),
        need=need.strip(),
        organisation=organisation.strip(),
        tags=clean_tags(tags),
        language=language,
        token_salt=salt,
        token_hash=HelpRequest.hash_token(HelpRequest.token_for_salt(salt)),
    )
    record(verb="results.request_submitted", network=network, obj=request)
    _notify("received", request)
    _notify("hosts_new", request)
    return request


def request_by_token(raw: str) -> HelpRequest | None:
    if not raw or len(raw) > 100:
        return None
    return (
        HelpRequest.objects.select_related("network")
        .filter(token_hash=HelpRequest.hash_token(raw))
        .first()
    )


@transaction.atomic
def confirm_request_email(*, request: HelpRequest) -> HelpRequest:
    """The requester opened the secret link from the e-mail: the address is theirs."""
    if request.email_confirmed_at is None:
        request.email_confirmed_at = timezone.now()
        request.save(update_fields=["email_confirmed_at", "updated_at"])
        record(verb="results.request_email_confirmed", network=request.network, obj=request)
    return request


@transaction.atomic
def accept_request(*, actor: User, request: HelpRequest, note: str = "") -> HelpRequest:
    require_host(actor, request.network)
    if request.status != RequestStatus.NEW:
        raise Conflict(_("This request has already been triaged."))
    request.status = RequestStatus.OPEN
    request.host_note = note.strip()
    request.triaged_by = actor
    request.triaged_at = timezone.now()
    request.save()
    record(verb="results.request_accepted", actor=actor, network=request.network, obj=request)
    _notify("accepted", request)
    return request


@transaction.atomic
def decline_request(*, actor: User, request: HelpRequest, message: str) -> HelpRequest:
    require_host(actor, request.network)
    if request.status != RequestStatus.NEW:
        raise Conflict(_("This request has already been triaged."))
    if not message.strip():
        raise DomainError(_("Write a kind message to the requester."), field="message")
    request.status = RequestStatus.CLOSED
    request.declined = True
    request.decline_message = message.strip()
    request.triaged_by = actor
    request.triaged_at = timezone.now()
    request.save()
    record(verb="results.request_declined", actor=actor, network=request.network, obj=request)
    _notify("declined", request)
    return request


def _move(request: HelpRequest, status: str) -> None:
    if status not in TRANSITIONS.get(request.status, set()):
        raise Conflict(
            _("A request cannot go from %(old)s to %(new)s."),
            old=request.get_status_display(),
            new=RequestStatus(status).label if status in RequestStatus.values else status,
        )
    request.status = status
    if status == RequestStatus.DONE:
        request.done_at = timezone.now()


@transaction.atomic
def volunteer(*, actor: User, request: HelpRequest) -> RequestHelper:
    """A member offers to help; the request becomes matched."""
    require_member(actor, request.network)
    if not request.is_open_for_help:
        raise Conflict(_("This request is not looking for help."))
    helper, created = RequestHelper.objects.get_or_create(
        request=request,
        user=actor,
        defaults={"how": HelperHow.VOLUNTEERED, "accepted": True, "responded_at": timezone.now()},
    )
    if not created:
        if helper.accepted:
            raise Conflict(_("You already help with this request."))
        helper.accepted = True
        helper.responded_at = timezone.now()
        helper.save(update_fields=["accepted", "responded_at"])
    if request.status == RequestStatus.OPEN:
        _move(request, RequestStatus.MATCHED)
        request.save()
        _notify("matched", request)
    record(verb="results.request_volunteered", actor=actor, network=request.network, obj=request)
    return helper


@transaction.atomic
def ask_member(*, actor: User, request: HelpRequest, user: Any) -> RequestHelper:
    """A host asks a member to help; the member answers yes or no."""
    require_host(actor, request.network)
    if membership_for(user, request.network) is None:
        raise DomainError(_("Choose a member of this network."), field="user")
    if not request.is_open_for_help:
        raise Conflict(_("This request is not looking for help."))
    helper, created = RequestHelper.objects.get_or_create(
        request=request, user=user, defaults={"how": HelperHow.ASKED, "asked_by": actor}
    )
    if not created:
        raise Conflict(_("This member is already involved."))
    record(
        verb="results.request_member_asked",
        actor=actor,
        network=request.network,
        obj=request,
        member=user.pk,
    )

    enqueue_on_commit(send_ask_mail, helper.pk)
    return helper


@transaction.atomic
def answer_ask(*, actor: User, helper: RequestHelper, yes: bool) -> RequestHelper:
    if helper.user_id != actor.pk:
        raise NotAllowed(_("Only the member who was asked can answer."))
    if helper.accepted is not None:
        raise Conflict(_("You have already answered."))
    if yes:
        return volunteer(actor=actor, request=helper.request)
    helper.accepted = False
    helper.responded_at = timezone.now()
    helper.save(update_fields=["accepted", "responded_at"])
    record(
        verb="results.request_ask_declined",
        actor=actor,
        network=helper.request.network,
        obj=helper.request,
    )
    return helper


def may_change_status(user: Any, request: HelpRequest) -> bool:
    if is_host(user, request.network):
        return True
    return RequestHelper.objects.filter(request=request, user=user, accepted=True).exists()


@transaction.atomic
def set_request_status(*, actor: User, request: HelpRequest, status: str) -> HelpRequest:
    """Hosts, and members who help, move the request along its lifecycle."""
    require_member(actor, request.network)
    if status not in RequestStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    if request.status == RequestStatus.NEW:
        raise Conflict(_("Accept or decline the request first."))
    if not may_change_status(actor, request):
        raise NotAllowed(_("Only hosts and the members who help can change the status."))
    if status == RequestStatus.CLOSED and not is_host(actor, request.network):
        raise NotAllowed(_("Only hosts can close a request."))
    old = request.status
    _move(request, status)
    request.save()
    record(
        verb="results.request_status",
        actor=actor,
        network=request.network,
        obj=request,
        old=old,
        new=status,
    )
    if status in (RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.CLOSED):
        _notify(status, request)
    return request


@transaction.atomic
def give_feedback(*, request: HelpRequest, rating: int, text: str = "") -> HelpRequest:
    """The requester (through the secret link) rates the help at the end."""
    if request.status not in (RequestStatus.DONE, RequestStatus.CLOSED) or request.declined:
        raise Conflict(_("You can give feedback once the request is done."))
    if request.feedback_at is not None:
        raise Conflict(_("Thank you, we already have your feedback."))
    if not 1 <= rating <= 5:
        raise DomainError(_("Choose from 1 to 5."), field="rating")
    request.feedback_rating = rating
    request.feedback_text = text.strip()
    request.feedback_at = timezone.now()
    request.save()
    record(verb="results.request_feedback", network=request.network, obj=request, rating=rating)
    _notify("feedback", request)
    return request
