"""Background work of the results app: e-mails about requests and intention reviews."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.tasks import task
from django.urls import reverse

from kring.core.mail import send_templated_mail
from kring.core.tasks import enqueue_on_commit

#: Members are asked to review their intention when it is older than this, once.
REVIEW_AFTER = timedelta(days=182)

REQUESTER_KINDS = {"received", "accepted", "declined", "matched", "in_progress", "done", "closed"}
HOST_KINDS = {"hosts_new", "feedback"}


@task
def send_request_mail(request_id: int, kind: str) -> None:
    """E-mail the requester (status changes) or the hosts (new request, feedback)."""
    from kring.networks.models import Membership

    from .models import HelpRequest

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
    if kind in REQUESTER_KINDS:
        send_templated_mail(
            to=request.email,
            template="results/email/request_update",
            language=request.language,
            context=context,
        )
    elif kind in HOST_KINDS:
        hosts = Membership.objects.current().hosts().filter(network=network).select_related("user")
        for m in hosts:
            send_templated_mail(
                to=m.user.email,
                template="results/email/request_hosts",
                language=getattr(m.user, "language", None) or network.language,
                context=context,
            )


@task
def send_ask_mail(helper_id: int) -> None:
    from .models import RequestHelper

    helper = (
        RequestHelper.objects.select_related("request__network", "user", "asked_by")
        .filter(pk=helper_id, accepted__isnull=True)
        .first()
    )
    if helper is None:
        return
    network = helper.request.network
    send_templated_mail(
        to=helper.user.email,
        template="results/email/ask_member",
        language=getattr(helper.user, "language", None) or network.language,
        context={
            "helper": helper,
            "request": helper.request,
            "network": network,
            "asker": helper.asked_by.display_name if helper.asked_by else "",
            "url": reverse(
                "results:request_detail", kwargs={"slug": network.slug, "pk": helper.request_id}
            ),
        },
    )


@task
def send_intention_review(intention_id: int) -> None:
    """Ask once: only when ``review_asked_at`` is still empty (idempotent)."""
    from django.utils import timezone

    from .models import Intention

    intention = (
        Intention.objects.select_related("network", "user")
        .filter(pk=intention_id, review_asked_at__isnull=True)
        .first()
    )
    if intention is None:
        return
    updated = Intention.objects.filter(pk=intention.pk, review_asked_at__isnull=True).update(
        review_asked_at=timezone.now()
    )
    if not updated:
        return
    network = intention.network
    send_templated_mail(
        to=intention.user.email,
        template="results/email/intention_review",
        language=getattr(intention.user, "language", None) or network.language,
        context={
            "intention": intention,
            "network": network,
            "url": reverse("results:intentions", kwargs={"slug": network.slug}),
        },
    )


def intention_review_tick(now: datetime) -> int:
    """Enqueue a review request for every intention older than six months, asked once."""
    from django.db import transaction
    from django.db.models import F

    from kring.networks.models import MembershipStatus

    from .models import Intention

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
