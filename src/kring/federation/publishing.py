"""What a network publishes: public gatherings (Event), public posts (Article) and milestones
of public objectives (Note), sent as Create / Update / Delete to its followers.

Other apps call the three ``*_changed`` functions from their use-cases; each only enqueues a
task after the commit (ids, not objects) when the network is on the fediverse, so a network
that is not federated pays one query.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kring.core.tasks import enqueue_on_commit
from kring.gatherings.models import Gathering, GatheringStatus, Rsvp, RsvpStatus
from kring.knowledge.models import Post
from kring.networks.models import Network
from kring.results.models import Objective
from kring.results.selectors import progress_of

from . import delivery, documents
from .models import FederatedNetwork, OutboxActivity
from .policy import federated

MILESTONES = (25, 50, 75, 100)


def _on(network_id: int) -> bool:
    return FederatedNetwork.objects.filter(
        network_id=network_id, enabled=True, network__public_page_enabled=True
    ).exists()


# --- Hooks for other apps (cheap; the work happens in a task) -------------------------------


def gathering_changed(gathering: Gathering) -> None:
    if _on(gathering.network_id):
        from .tasks import publish_gathering  # tasks call this module: import when used

        enqueue_on_commit(publish_gathering, gathering.pk)


def post_changed(post: Post) -> None:
    if _on(post.network_id):
        from .tasks import publish_post

        enqueue_on_commit(publish_post, post.pk)


def post_deleted(*, network: Network, post_id: int) -> None:
    """Before a post is deleted: the Delete needs only its address."""
    if _on(network.pk):
        from .tasks import retract_object

        object_id = documents.article_id_for(network, post_id)
        enqueue_on_commit(retract_object, network.pk, object_id)


def objective_progressed(objective: Objective) -> None:
    """A contribution counted toward this objective and the ones it is part of."""
    if not _on(objective.network_id):
        return
    from .tasks import publish_milestones

    current: Objective | None = objective
    for _depth in range(10):  # objectives nest a few levels at most
        if current is None:
            break
        if current.is_public:
            enqueue_on_commit(publish_milestones, current.pk)
        current = current.parent


# --- The work ------------------------------------------------------------------------------


def participant_count(gathering: Gathering) -> int:
    return Rsvp.objects.filter(gathering=gathering, status=RsvpStatus.GOING).count()


def _published(network: Network, object_id: str) -> OutboxActivity | None:
    return OutboxActivity.objects.filter(network=network, object_id=object_id).first()


def _last_kind(network: Network, object_id: str) -> str | None:
    row = OutboxActivity.objects.filter(network=network, object_id=object_id).order_by("-pk")
    first = row.first()
    return first.kind if first else None


def _emit(network: Network, kind: str, obj: dict[str, Any]) -> OutboxActivity:
    activity = documents.wrap(network, kind, obj, secrets.token_hex(8))
    row = OutboxActivity.objects.create(
        network=network, kind=kind, object_id=obj["id"], activity=activity
    )
    delivery.send_to_followers(network, activity)
    return row


def _create_update_or_delete(
    network: Network, object_id: str, doc: dict[str, Any] | None
) -> OutboxActivity | None:
    last = _last_kind(network, object_id)
    if doc is None:  # no longer public
        if last in {"Create", "Update"}:
            return _emit(network, "Delete", documents.tombstone(object_id))
        return None
    return _emit(network, "Update" if last in {"Create", "Update"} else "Create", doc)


def event_document(gathering: Gathering) -> dict[str, Any]:
    return documents.event(gathering, participant_count=participant_count(gathering))


def is_public_gathering(gathering: Gathering) -> bool:
    return gathering.open_to_guests and gathering.status != GatheringStatus.CANCELLED


@transaction.atomic
def publish_gathering(gathering_id: int) -> OutboxActivity | None:
    gathering = Gathering.objects.select_related("network").filter(pk=gathering_id).first()
    if gathering is None or federated(gathering.network) is None:
        return None
    doc = event_document(gathering) if is_public_gathering(gathering) else None
    return _create_update_or_delete(gathering.network, documents.event_id(gathering), doc)


@transaction.atomic
def publish_post(post_id: int) -> OutboxActivity | None:
    post = Post.objects.select_related("network").filter(pk=post_id).first()
    if post is None or federated(post.network) is None:
        return None
    doc = documents.article(post) if post.is_public else None
    return _create_update_or_delete(post.network, documents.article_id(post), doc)


@transaction.atomic
def retract_object(network_id: int, object_id: str) -> OutboxActivity | None:
    network = Network.objects.filter(pk=network_id).first()
    if network is None or federated(network) is None:
        return None
    return _create_update_or_delete(network, object_id, None)


def milestone_text(objective: Objective, percent: int) -> str:
    with override(objective.network.language):
        if percent >= 100:
            return _("We reached our goal “%(title)s”!") % {"title": objective.title}
        return _("We are %(percent)s%% of the way to our goal “%(title)s”.") % {
            "percent": percent,
            "title": objective.title,
        }


def milestone_document(objective: Objective, percent: int) -> dict[str, Any]:
    row = _published(objective.network, documents.milestone_id(objective, percent))
    published = row.created_at if row else timezone.now()
    return documents.milestone(objective, percent, milestone_text(objective, percent), published)


@transaction.atomic
def publish_milestones(objective_id: int) -> list[OutboxActivity]:
    """A Note for each milestone (25, 50, 75, 100 %) the objective passed, once each."""
    objective = Objective.objects.select_related("network").filter(pk=objective_id).first()
    if objective is None or not objective.is_public or federated(objective.network) is None:
        return []
    reached = progress_of(objective, public_only=True).percent
    sent = []
    for percent in MILESTONES:
        object_id = documents.milestone_id(objective, percent)
        if reached >= percent and _published(objective.network, object_id) is None:
            sent.append(_emit(objective.network, "Create", milestone_document(objective, percent)))
    return sent
