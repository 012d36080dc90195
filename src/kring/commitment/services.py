"""Use-cases: the charter, applications, engagement notes and this app's settings."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError, NotAllowed, NotFound
from kring.core.tasks import enqueue_on_commit
from kring.networks.access import membership_for, require_host
from kring.networks.models import JoinPolicy, Membership, MembershipStatus, Network, Role
from kring.networks.services import admit_member, update_network
from kring.people.models import User
from kring.people.services import ensure_profile
from kring.public import cache as public_cache

from . import selectors, tasks
from .models import (
    Application,
    ApplicationAdvice,
    ApplicationStatus,
    CharterVersion,
    CommitmentSettings,
    DeletedApplicationTally,
    EngagementSnapshot,
    HeardVia,
    LowEngagementNote,
)
from .tokens import VERIFY_SALT

VERIFY_MAX_AGE = 7 * 24 * 3600
DELETE_DECLINED_AFTER = timedelta(days=28)
OPEN_STATES = (
    ApplicationStatus.UNVERIFIED,
    ApplicationStatus.PENDING,
    ApplicationStatus.WAITLISTED,
)


# --- Settings --------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "members_may_advise",
    "max_members",
    "publish_health",
    "low_engagement_threshold",
)


@transaction.atomic
def update_settings(
    *, actor: User, network: Network, data: Mapping[str, Any]
) -> CommitmentSettings:
    require_host(actor, network)
    obj = selectors.settings_for(network)
    for key in SETTINGS_FIELDS:
        if key in data:
            setattr(obj, key, data[key])
    if obj.low_engagement_threshold is not None and obj.low_engagement_threshold > 100:
        raise DomainError(_("Use a number from 0 to 100."), field="low_engagement_threshold")
    obj.save()
    audit.record(verb="commitment.settings_updated", actor=actor, network=network, obj=obj)
    public_cache.invalidate(network)  # publish_health shows the scorecard publicly
    return obj


# --- Charter ---------------------------------------------------------------------------------


def _baseline(network: Network) -> CharterVersion | None:
    """Version 1 from the foundation's charter text, the first time versioning is used."""
    latest = CharterVersion.objects.filter(network=network).first()
    if latest is None and network.charter.strip():
        latest = CharterVersion.objects.create(
            network=network,
            number=1,
            text=network.charter,
            summary="",
            published_at=network.created_at,
        )
    return latest


@transaction.atomic
def publish_charter(
    *, actor: User, network: Network, text: str, summary: str = "", now: datetime | None = None
) -> CharterVersion:
    """Publish a new version: copied into ``Network.charter``; members are asked to accept it."""
    require_host(actor, network)
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please write the charter."), field="text")
    if len(text) > 10000:
        raise DomainError(
            _("Please keep the charter under %(max)s characters."), field="text", max=10000
        )
    Network.objects.select_for_update().filter(pk=network.pk).first()  # serialise publishers
    latest = _baseline(network)
    if latest is not None and latest.text.strip() == text:
        raise Conflict(_("This is the same text as the current version."), field="text")
    version = CharterVersion.objects.create(
        network=network,
        number=(latest.number + 1) if latest else 1,
        text=text,
        summary=(summary or "").strip()[:500],
        published_at=now,
        author=actor,
    )

    update_network(actor=actor, network=network, data={"charter": text})
    Membership.objects.filter(network=network, user=actor).update(charter_accepted_at=now)
    audit.record(
        verb="charter.published", actor=actor, network=network, obj=version, number=version.number
    )
    enqueue_on_commit(tasks.notify_charter_changed, version.pk)
    return version


@transaction.atomic
def accept_charter(*, actor: User, network: Network, now: datetime | None = None) -> Membership:
    membership = membership_for(actor, network)
    if membership is None:
        raise NotFound(_("No such network."))
    membership.charter_accepted_at = now or timezone.now()
    membership.save(update_fields=["charter_accepted_at"])
    latest = selectors.latest_charter(network)
    audit.record(
        verb="charter.accepted",
        actor=actor,
        network=network,
        obj=membership,
        number=latest.number if latest else None,
    )
    return membership


# --- Applications ----------------------------------------------------------------------------


@transaction.atomic
def submit_application(
    *,
    network: Network,
    name: str,
    email: str,
    passion: str,
    talents: str = "",
    gives: str = "",
    seeks: str = "",
    objective_id: int | None = None,
    heard_via: str,
    accept_charter: bool,
    now: datetime | None = None,
) -> Application:
    """A public application; the applicant confirms their e-mail address before hosts see it."""
    now = now or timezone.now()
    if network.join_policy == JoinPolicy.INVITE:
        raise NotAllowed(_("This network takes new members by invitation only."))
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name:
        raise DomainError(_("Please fill in your name."), field="name")
    if "@" not in email:
        raise DomainError(_("Please fill in a valid e-mail address."), field="email")
    if not (passion or "").strip():
        raise DomainError(_("Please tell what you are passionate about."), field="passion")
    if heard_via not in HeardVia.values:
        raise DomainError(_("Please choose how you heard of us."), field="heard_via")
    latest = _baseline(network)
    if (latest or network.charter.strip()) and not accept_charter:
        raise DomainError(_("Please accept the charter to apply."), field="accept_charter")
    objective_title = ""
    if objective_id is not None:
        choices = dict(selectors.sources.objectives(network))
        if objective_id not in choices:
            raise DomainError(_("Please choose one of the objectives."), field="objective")
        objective_title = choices[objective_id][:200]
    existing = Application.objects.filter(
        network=network, email=email, status__in=OPEN_STATES
    ).first()
    if existing is not None:
        if existing.status == ApplicationStatus.UNVERIFIED:
            enqueue_on_commit(tasks.send_verification, existing.pk, uuid.uuid4().hex)
            return existing
        raise Conflict(
            _("You have already applied; the hosts will get back to you."), field="email"
        )
    application = Application.objects.create(
        network=network,
        name=name[:120],
        email=email,
        passion=passion.strip()[:1000],
        talents=(talents or "").strip()[:1000],
        gives=(gives or "").strip()[:1000],
        seeks=(seeks or "").strip()[:1000],
        objective_id=objective_id,
        objective_title=objective_title,
        heard_via=heard_via,
        charter_version=latest,
        created_at=now,
    )
    audit.record(
        verb="application.submitted", network=network, obj=application, heard_via=heard_via
    )
    enqueue_on_commit(tasks.send_verification, application.pk, uuid.uuid4().hex)
    return application


@transaction.atomic
def verify_application(*, token: str, now: datetime | None = None) -> Application:
    try:
        pk = int(signing.TimestampSigner(salt=VERIFY_SALT).unsign(token, max_age=VERIFY_MAX_AGE))
    except (signing.BadSignature, ValueError) as exc:
        raise DomainError(_("This confirmation link is not valid or has expired.")) from exc
    application = Application.objects.select_for_update().filter(pk=pk).first()
    if application is None:
        raise NotFound(_("This application no longer exists."))
    if application.status == ApplicationStatus.UNVERIFIED:
        application.status = ApplicationStatus.PENDING
        application.verified_at = now or timezone.now()
        application.save(update_fields=["status", "verified_at"])
        audit.record(verb="application.verified", network=application.network, obj=application)
        enqueue_on_commit(tasks.notify_hosts_of_application, application.pk)
    return application


def can_advise(actor: User, network: Network) -> bool:
    m = membership_for(actor, network)
    if m is None:
        return False
    return m.role == Role.HOST or selectors.settings_for(network).members_may_advise


@transaction.atomic
def add_advice(*, actor: User, application: Application, text: str) -> ApplicationAdvice:
    if not can_advise(actor, application.network):
        raise NotAllowed(_("The hosts have not asked members for advice."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please write your advice."), field="text")
    if application.status not in (ApplicationStatus.PENDING, ApplicationStatus.WAITLISTED):
        raise Conflict(_("This application has already been decided."))
    advice, _created = ApplicationAdvice.objects.update_or_create(
        application=application, author=actor, defaults={"text": text[:2000]}
    )
    audit.record(
        verb="application.advised", actor=actor, network=application.network, obj=application
    )
    return advice


def is_full(network: Network) -> bool:
    maximum = selectors.settings_for(network).max_members
    return maximum is not None and selectors.member_count(network) >= maximum


DECISIONS = ("accept", "decline", "waitlist")


@transaction.atomic
def decide_application(
    *,
    actor: User,
    application: Application,
    decision: str,
    message: str = "",
    now: datetime | None = None,
) -> Application:
    network = application.network
    require_host(actor, network)
    now = now or timezone.now()
    if decision not in DECISIONS:
        raise DomainError(_("Choose accept, decline or waiting list."), field="decision")
    application = Application.objects.select_for_update().get(pk=application.pk)
    allowed = {ApplicationStatus.PENDING, ApplicationStatus.WAITLISTED}
    if application.status not in allowed:
        raise Conflict(_("This application is %(state)s."), state=application.get_status_display())
    if decision == "waitlist" and application.status == ApplicationStatus.WAITLISTED:
        raise Conflict(_("This application is already on the waiting list."))
    if decision == "accept" and is_full(network):
        raise Conflict(
            _(
                "The network is full: put the application on the waiting list, or "
                "raise the maximum number of members."
            ),
            field="decision",
        )
    application.decision_message = (message or "").strip()[:2000]
    application.decided_by = actor
    new_password_needed = False
    if decision == "accept":
        user, new_password_needed = _account_for(application)

        admit_member(actor=actor, network=network, user=user)
        _copy_profile(application, user)
        application.user = user
        application.status = ApplicationStatus.ACCEPTED
        application.decided_at = now
    elif decision == "decline":
        application.status = ApplicationStatus.DECLINED
        application.decided_at = now
    else:
        application.status = ApplicationStatus.WAITLISTED
    application.save()
    audit.record(verb=f"application.{decision}", actor=actor, network=network, obj=application)
    enqueue_on_commit(tasks.send_decision, application.pk, decision, new_password_needed)
    return application


def _account_for(application: Application) -> tuple[User, bool]:
    """The applicant's account: an existing one by e-mail, or a new one (verified address)."""
    user = User.objects.filter(email__iexact=application.email).first()
    if user is not None:
        return user, not user.has_usable_password()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=application.email, password=None, language=application.network.language
            )
    except IntegrityError:
        return User.objects.get(email__iexact=application.email), False
    EmailAddress.objects.update_or_create(
        user=user, email=application.email, defaults={"verified": True, "primary": True}
    )
    ensure_profile(user, display_name=application.name)
    return user, True


def _copy_profile(application: Application, user: User) -> None:
    profile = ensure_profile(user, display_name=application.name)
    changed = []
    for src, dst in (
        ("passion", "passion"),
        ("talents", "talents"),
        ("gives", "offers"),
        ("seeks", "seeks"),
    ):
        if not getattr(profile, dst) and getattr(application, src):
            setattr(profile, dst, getattr(application, src))
            changed.append(dst)
    if changed:
        profile.save(update_fields=changed)


@transaction.atomic
def purge_declined(*, now: datetime | None = None) -> int:
    """Delete declined applications 28 days after the decision, and unconfirmed ones 28 days
    after they were sent; declined ones are first counted in the funnel's tally."""
    now = now or timezone.now()
    cutoff = now - DELETE_DECLINED_AFTER
    declined = Application.objects.filter(
        status=ApplicationStatus.DECLINED, decided_at__lt=cutoff
    ).select_related("network")
    n = 0
    for app in declined:
        month = selectors.month_start(timezone.localdate(app.created_at, app.network.tzinfo))
        tally, _c = DeletedApplicationTally.objects.get_or_create(
            network=app.network, month=month, heard_via=app.heard_via
        )
        DeletedApplicationTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
        app.delete()
        n += 1
    unverified, _d = Application.objects.filter(
        status=ApplicationStatus.UNVERIFIED, created_at__lt=cutoff
    ).delete()
    if n or unverified:
        audit.record(verb="applications.purged", declined=n, unverified=unverified)
    return n + unverified


# --- Engagement ------------------------------------------------------------------------------


def low_engagement_round(*, network: Network, now: datetime | None = None) -> list[int]:
    """Send the one kind e-mail to active members who are low and were not written to in
    this low period; close the period of members who recovered. Paused members are skipped:
    they get no reminders (``Membership.status == "paused"``). Returns the user ids mailed.
    """
    now = now or timezone.now()
    threshold = selectors.settings_for(network).low_engagement_threshold
    newcomer_cutoff = now - timedelta(days=selectors.engagement.PERIOD_DAYS)
    open_notes = set(
        LowEngagementNote.objects.filter(network=network, closed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    mailed: list[int] = []
    for row in selectors.engagement_of(network, now=now):
        m = row.membership
        if row.score is None:
            continue
        if row.score >= threshold:
            if m.user_id in open_notes:
                LowEngagementNote.objects.filter(
                    network=network, user_id=m.user_id, closed_at__isnull=True
                ).update(closed_at=now)
            continue
        if m.status != MembershipStatus.ACTIVE or m.joined_at > newcomer_cutoff:
            continue
        if m.user_id in open_notes:
            continue
        try:
            with transaction.atomic():
                LowEngagementNote.objects.create(network=network, user_id=m.user_id, sent_at=now)
        except IntegrityError:
            continue
        enqueue_on_commit(tasks.send_low_engagement_note, network.pk, m.user_id)
        mailed.append(m.user_id)
    return mailed


def snapshot_month(*, network: Network, now: datetime | None = None) -> int:
    """Record this month's engagement per member once (the trend on the hosts' page)."""

    now = now or timezone.now()
    month = selectors.month_start(timezone.localdate(now, network.tzinfo))
    if EngagementSnapshot.objects.filter(network=network, month=month).exists():
        return 0
    rows = selectors.engagement_of(network, now=now)
    EngagementSnapshot.objects.bulk_create(
        [
            EngagementSnapshot(
                network=network, user_id=r.membership.user_id, month=month, score=r.score
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )
    return len(rows)
