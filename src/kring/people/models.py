from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.files import RandomName


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account, keyed by e-mail. The person behind it lives in :class:`Profile`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile is not None and profile.display_name:
            return str(profile.display_name)
        return self.email.split("@")[0]


class Tag(models.Model):
    """A normalised word people use for passions, talents, offers and seeks."""

    name = models.CharField(_("tag"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class TagKind(models.TextChoices):
    PASSION = "passion", _("passion")
    TALENT = "talent", _("talent")
    OFFER = "offer", _("offers")
    SEEK = "seek", _("seeks")


class Visibility(models.TextChoices):
    NETWORKS = "networks", _("My networks only")
    PUBLIC = "public", _("Also on my networks' public pages")


class Profile(models.Model):
    """A person-first profile: passion and talents lead, company and role come last."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("name"), max_length=120)
    photo = models.ImageField(_("photo"), upload_to=RandomName("profiles"), blank=True)
    story = models.TextField(_("my story"), blank=True, max_length=2000)
    passion = models.TextField(_("what I am passionate about"), blank=True, max_length=1000)
    talents = models.TextField(_("my talents"), blank=True, max_length=1000)
    offers = models.TextField(_("what I offer"), blank=True, max_length=1000)
    seeks = models.TextField(_("what I seek"), blank=True, max_length=1000)
    languages = models.CharField(_("languages I speak"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    company = models.CharField(_("company"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    visibility = models.CharField(
        _("who may see my profile"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.NETWORKS,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name

    def tags_of(self, kind: str) -> list[str]:
        """Tag names of one kind; uses prefetched ``profile_tags`` when present."""
        return sorted(pt.tag.name for pt in self.profile_tags.all() if pt.kind == kind)

    @property
    def passion_tags(self) -> list[str]:
        return self.tags_of(TagKind.PASSION)

    @property
    def talent_tags(self) -> list[str]:
        return self.tags_of(TagKind.TALENT)

    @property
    def offer_tags(self) -> list[str]:
        return self.tags_of(TagKind.OFFER)

    @property
    def seek_tags(self) -> list[str]:
        return self.tags_of(TagKind.SEEK)

    @property
    def initials(self) -> str:
        return initials_of(self.display_name)


class ProfileTag(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="profile_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="profile_tags")
    kind = models.CharField(max_length=10, choices=TagKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "tag", "kind"], name="profiletag_unique")
        ]
        indexes = [models.Index(fields=["tag", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.tag_id}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 hash is stored."""

    PREFIX = "kr_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80, default="API")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


def initials_of(name: str) -> str:
    """The avatar's letters: the first and last word's first letters ("?" without any)."""
    parts = [p for p in name.split() if p[:1].isalpha()]
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()
