"""ActivityPub: a network as a ``Group`` actor, its followers, what it sent and what it got.

Remote actors are cached (with their public key); every activity received is remembered by
its id, so a replayed activity is recognised and nothing is stored twice.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Network


class FederatedNetwork(models.Model):
    """A network's fediverse setting and its signing key (rotated on demand)."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="federation")
    enabled = models.BooleanField(_("on the fediverse"), default=False)
    approve_followers = models.BooleanField(
        _("hosts approve new followers"),
        default=False,
        help_text=_("When off, follow requests are accepted automatically."),
    )
    private_key_pem = models.TextField(blank=True)
    public_key_pem = models.TextField(blank=True)
    key_rotated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("federated network")
        verbose_name_plural = _("federated networks")

    def __str__(self) -> str:
        return f"{self.network} ({'on' if self.enabled else 'off'})"


class RemoteActor(models.Model):
    """A cached remote actor (person, group, service) and its public key."""

    ap_id = models.URLField(max_length=500, unique=True)
    domain = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=40, blank=True)
    username = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    inbox = models.URLField(max_length=500, blank=True)
    shared_inbox = models.URLField(max_length=500, blank=True)
    key_id = models.CharField(max_length=500, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        return f"@{self.username}@{self.domain}" if self.username else self.ap_id

    @property
    def display_name(self) -> str:
        return self.name or self.username or self.ap_id

    @property
    def profile_url(self) -> str:
        return self.url or self.ap_id

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class FollowerStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a host")
    ACCEPTED = "accepted", _("following")


class Follower(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ap_followers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows")
    status = models.CharField(max_length=10, choices=FollowerStatus.choices)
    follow_id = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "actor"], name="ap_follower_once"),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.actor} → {self.network}"


class ReplyStatus(models.TextChoices):
    HELD = "held", _("waiting for moderation")
    APPROVED = "approved", _("shown")
    REJECTED = "rejected", _("rejected")


class RemoteReply(models.Model):
    """A reply from the fediverse to a gathering or post: held until a host approves it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ap_replies")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="replies")
    ap_id = models.URLField(max_length=500, unique=True)
    url = models.URLField(max_length=500, blank=True)
    in_reply_to = models.URLField(max_length=500)
    gathering = models.ForeignKey(
        "gatherings.Gathering", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "knowledge.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    content = models.TextField()  # sanitised HTML (nh3)
    status = models.CharField(max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.HELD)
    published_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["published_at", "pk"]
        indexes = [models.Index(fields=["network", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(gathering__isnull=False) | Q(post__isnull=False),
                name="ap_reply_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.ap_id


class ReactionKind(models.TextChoices):
    LIKE = "like", _("like")
    ANNOUNCE = "announce", _("boost")


class Reaction(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    ap_id = models.URLField(max_length=500)
    object_id = models.URLField(max_length=500, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "kind", "object_id"], name="ap_reaction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Participation(models.Model):
    """A remote actor's Join of a gathering, kept with the guest sign-up it became."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="joins")
    gathering = models.ForeignKey(
        "gatherings.Gathering", on_delete=models.CASCADE, related_name="+"
    )
    rsvp = models.ForeignKey("gatherings.Rsvp", on_delete=models.CASCADE, related_name="+")
    join_id = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "gathering"], name="ap_join_once"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} → {self.gathering_id}"


class ReceivedActivity(models.Model):
    """Every activity id seen in an inbox: a replay is recognised and ignored."""

    ap_id = models.URLField(max_length=500, unique=True)
    actor_id = models.URLField(max_length=500)
    kind = models.CharField(max_length=40)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return self.ap_id


class OutboxActivity(models.Model):
    """What a network sent (Create/Update/Delete): its outbox, newest first."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ap_outbox")
    kind = models.CharField(max_length=20)
    object_id = models.URLField(max_length=500)
    activity = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["network", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    DONE = "done", _("delivered")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped (peer dropped or blocked)")


class Delivery(models.Model):
    """One activity to one inbox (shared inboxes used); retried with exponential backoff."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ap_deliveries")
    inbox = models.URLField(max_length=500)
    domain = models.CharField(max_length=255, db_index=True)
    activity = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.inbox} ({self.status})"


class Peer(models.Model):
    """An instance's delivery health: failing for a week means dropped until it speaks."""

    domain = models.CharField(max_length=255, unique=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_heard_at = models.DateTimeField(null=True, blank=True)
    dropped = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.domain


class BlockKind(models.TextChoices):
    DOMAIN = "domain", _("instance (domain)")
    ACTOR = "actor", _("account")


class Block(models.Model):
    """A host's block of an instance or a remote account for their network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ap_blocks")
    kind = models.CharField(max_length=10, choices=BlockKind.choices)
    value = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["network", "kind", "value"], name="ap_block_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"
