"""Background work: e-mails to applicants, hosts and members; the scheduled rounds."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.tasks import task
from django.urls import reverse

from kring.networks.models import Membership, MembershipStatus, Network, Role
from kring.notify.services import Address, notify
from kring.people.models import User

from .models import Application, ApplicationStatus, CharterVersion, LowEngagementNote
from .sources import next_gathering
from .tokens import verification_token


def _site_path(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs=kwargs)


@task
def send_verification(application_id: int, event: str = "") -> None:

    app = Application.objects.select_related("network").filter(pk=application_id).first()
    if app is None or app.status != ApplicationStatus.UNVERIFIED:
        return
    notify(
        kind="application",
        recipient=Address(app.email, language=app.network.language),
        network=app.network,
        idempotency_key=f"application.verify:{app.pk}:{event}",
        template="commitment/email/verify",
        context={
            "application": app,
            "network": app.network,
            "url": _site_path(
                "commitment:verify", slug=app.network.slug, token=verification_token(app)
            ),
        },
    )


@task
def notify_hosts_of_application(application_id: int) -> None:

    app = Application.objects.select_related("network").filter(pk=application_id).first()
    if app is None:
        return
    hosts = Membership.objects.active().hosts().filter(network=app.network).select_related("user")
    for m in hosts:
        notify(
            kind="host_applications",
            recipient=m.user,
            network=app.network,
            idempotency_key=f"application.new:{app.pk}",
            template="commitment/email/new_application",
            url=_site_path("commitment:application", slug=app.network.slug, pk=app.pk),
            context={
                "application": app,
                "network": app.network,
                "url": _site_path("commitment:application", slug=app.network.slug, pk=app.pk),
            },
        )


@task
def send_decision(application_id: int, decision: str, set_password: bool) -> None:

    app = Application.objects.select_related("network", "user").filter(pk=application_id).first()
    if app is None:
        return
    network = app.network
    context: dict[str, object] = {"application": app, "network": network}
    language = app.user.language if app.user else network.language
    if decision == "accept" and app.user is not None:
        context["next_gathering"] = next_gathering(network, app.user)
        context["home_url"] = _site_path("net:home", slug=network.slug)
        if set_password:
            context["password_url"] = reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(app.user),
                    "key": default_token_generator.make_token(app.user),
                },
            )
        template = "commitment/email/welcome"
    elif decision == "decline":
        template = "commitment/email/declined"
    else:
        template = "commitment/email/waitlisted"
    notify(
        kind="application",
        recipient=app.user if app.user is not None else Address(app.email, language=language),
        network=network,
        idempotency_key=f"application.decision:{app.pk}:{decision}",
        template=template,
        context=context,
        language=language,
    )


@task
def notify_charter_changed(version_id: int) -> None:
    """Tell active members (not paused ones: no reminders while paused) about a new version."""

    version = CharterVersion.objects.select_related("network").filter(pk=version_id).first()
    if version is None:
        return
    members = Membership.objects.filter(
        network=version.network,
        status=MembershipStatus.ACTIVE,
        charter_accepted_at__lt=version.published_at,
    ).select_related("user")
    for m in members:
        notify(
            kind="charter",
            recipient=m.user,
            network=version.network,
            idempotency_key=f"charter:{version.pk}",
            template="commitment/email/charter_changed",
            url=_site_path("commitment:charter", slug=version.network.slug),
            context={
                "version": version,
                "network": version.network,
                "url": _site_path("commitment:charter", slug=version.network.slug),
            },
        )


def _open_note_id(network: Network, user: User) -> int | None:
    """The low period this note is about: one mail per period (``LowEngagementNote``)."""

    return (
        LowEngagementNote.objects.filter(network=network, user=user, closed_at__isnull=True)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


@task
def send_low_engagement_note(network_id: int, user_id: int) -> None:
    network = Network.objects.filter(pk=network_id).first()
    user = User.objects.filter(pk=user_id).first()
    if network is None or user is None:
        return
    membership = Membership.objects.filter(network=network, user=user).first()
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return  # paused (or left) members get no reminders
    hosts = [
        m.user.display_name
        for m in Membership.objects.active()
        .hosts()
        .filter(network=network)
        .select_related("user__profile")[:3]
    ]
    notify(
        kind="engagement",
        recipient=user,
        network=network,
        idempotency_key=f"engagement:{network.pk}:{_open_note_id(network, user)}",
        template="commitment/email/low_engagement",
        url=_site_path("commitment:mine", slug=network.slug),
        context={
            "network": network,
            "user": user,
            "hosts": hosts,
            "role_host": Role.HOST,
            "membership_url": _site_path("net:my_membership", slug=network.slug),
            "commitment_url": _site_path("commitment:mine", slug=network.slug),
        },
    )
