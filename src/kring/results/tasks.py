"""Background work of the results app: e-mails about requests and intention reviews."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from kring.core.tasks import enqueue_on_commit
from kring.networks.models import Membership, MembershipStatus
from kring.notify.services import Address, notify

from .models import HelpRequest, Intention, RequestHelper

#: Members are asked to review their intention when it is older than this, once.
REVIEW_AFTER = timedelta(days=182)

REQUESTER_KINDS = {"received", "accepted", "declined", "matched", "in_progress", "done", "closed"}
HOST_KINDS = {"hosts_new", "feedback"}


@task
def send_request_mail(request_id: int, kind: str, event: str = "") -> None:
    """E-mail the requester (status changes) or the hosts (new request, feedback).
    ``event`` names this occasion (one key per enqueue, stable across retries)."""

    request = HelpRequest.objects.select_related("network").filter(pk=request_id).first()
    if request is None:
        return
    network = request.network
    context = {
        "request": request,
        "network": network,
        "kind": kind,
        "status_url": reverse(
            "results:request_status", kwargs={"slug": network.slug, "token": request.token}
        ),
        "host_url": reverse(
            "results:request_detail", kwargs={"slug": network.slug, "pk": request.pk}
        ),
    }
    key = f"request:{request.pk}:{kind}:{event}"
    if kind in REQUESTER_KINDS:
        notify(
            kind="request_status",
            recipient=Address(request.email, language=request.language),
            network=network,
            idempotency_key=key,
            template="results/email/request_update",
            context=context,
        )
    elif kind in HOST_KINDS:
        hosts = Membership.objects.current().hosts().filter(network=network).select_related("user")
        for m in hosts:
            notify(
                kind="host_requests",
                recipient=m.user,
                network=network,
                idempotency_key=key,
                template="results/email/request_hosts",
                url=str(context["host_url"]),
                context=context,
            )


@task
def send_ask_mail(helper_id: int) -> None:

    helper = (
        RequestHelper.objects.select_related("request__network", "user", "asked_by")
        .filter(pk=helper_id, accepted__isnull=True)
        .first()
    )
    if helper is None:
        return
    network = helper.request.network
    url = reverse("results:request_detail", kwargs={"slug": network.slug, "pk": helper.request_id})
    notify(
        kind="help_asked",
        recipient=helper.user,
        network=network,
        idempotency_key=f"request.ask:{helper.pk}",
        template="results/email/ask_member",
        url=url,
        context={
            "helper": helper,
            "request": helper.request,
            "network": network,
            "asker": helper.asked_by.display_name if helper.asked_by else "",
            "url": url,
        },
    )


@task
def send_intention_review(intention_id: int) -> None:
    """Ask once: only while ``review_asked_at`` is empty; the delivery log's key keeps a
    retry from asking twice, and the mark comes after the mail so a crash loses nothing."""

    intention = (
        Intention.objects.select_related("network", "user")
        .filter(pk=intention_id, review_asked_at__isnull=True)
        .first()
    )
    if intention is None:
        return
    network = intention.network
    url = reverse("results:intentions", kwargs={"slug": network.slug})
    notify(
        kind="intention_review",
        recipient=intention.user,
        network=network,
        idempotency_key=f"intention.review:{intention.pk}:{intention.updated_at.isoformat()}",
        template="results/email/intention_review",
        url=url,
        context={"intention": intention, "network": network, "url": url},
    )
    Intention.objects.filter(pk=intention.pk, review_asked_at__isnull=True).update(
        review_asked_at=timezone.now()
    )


def intention_review_tick(now: datetime) -> int:
    """Enqueue a review request for every intention older than six months, asked once."""

    due = list(
        Intention.objects.filter(
            updated_at__lte=now - REVIEW_AFTER,
            review_asked_at__isnull=True,
            user__memberships__network=F("network"),
            user__memberships__status=MembershipStatus.ACTIVE,
        )
        .values_list("pk", flat=True)
        .distinct()[:500]
    )
    with transaction.atomic():
        for pk in due:
            enqueue_on_commit(send_intention_review, pk)
    return len(due)


@task
def send_referral_received(referral_id: int) -> None:
    """Tell the receiver of a lead (kind ``referral``); it stays in their digest until they
    answer it (contacted, won, not won)."""
    from .models import Referral

    referral = (
        Referral.objects.select_related("network", "from_user__profile", "to_user")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return
    network = referral.network
    url = reverse("results:referrals", kwargs={"slug": network.slug})
    notify(
        kind="referral",
        recipient=referral.to_user,
        network=network,
        idempotency_key=f"referral:{referral.pk}",
        template="results/email/referral_received",
        url=url,
        context={"referral": referral, "sender": referral.from_user.display_name, "url": url},
    )
