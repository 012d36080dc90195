"""Knowledge: posts (Markdown, members-only or public), their tags, comments and images."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kring.core.files import RandomName
from kring.core.markdown import render_markdown
from kring.networks.models import Network


class PostVisibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public (on the network's public page and feed)")


class PostQuerySet(models.QuerySet["Post"]):
    def for_network(self, network: Network) -> PostQuerySet:
        return self.filter(network=network)

    def public(self) -> PostQuerySet:
        return self.filter(visibility=PostVisibility.PUBLIC)


class KnowledgeTag(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="knowledge_tags")
    name = models.CharField(_("tag"), max_length=60)  # kring.core.tags.TAG_MAX_LENGTH

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="knowledge_tag_unique"),
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences; shown in lists, feeds and link previews."),
    )
    body = models.TextField(_("text"), max_length=40000, help_text=_("Markdown."))
    visibility = models.CharField(
        _("who may read it"),
        max_length=10,
        choices=PostVisibility.choices,
        default=PostVisibility.MEMBERS,
    )
    tags = models.ManyToManyField(KnowledgeTag, blank=True, related_name="posts")
    # Links to other apps' objects by id: those apps are optional and may land later.
    gathering_ref = models.PositiveIntegerField(_("gathering"), null=True, blank=True)
    objective_ref = models.PositiveIntegerField(_("objective"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "visibility", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["members", "public"]),
                name="post_visibility_valid",
            ),
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == PostVisibility.PUBLIC

    @property
    def public_author_name(self) -> str:
        """The author as shown to the public: by name only if their profile is public."""
        profile = getattr(self.author, "profile", None) if self.author else None
        if profile is not None and profile.visibility == "public":
            return profile.display_name
        return self.network.name

    @property
    def html(self) -> str:
        return render_markdown(self.body)

    @property
    def excerpt(self) -> str:
        if self.summary:
            return self.summary

        return Truncator(strip_tags(self.html)).words(40)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author} on {self.post}"


class PostImage(models.Model):
    """An uploaded image, re-encoded by Pillow; embedded in a post's Markdown by URL."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ImageField(upload_to=RandomName("knowledge"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.image.name or ""

    @property
    def file_key(self) -> str:
        """The stored file's last part (``<32 hex>.<ext>``): the image's address in a post."""
        return (self.image.name or "").rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return reverse("knowledge:image", args=[self.network.slug, self.file_key])
