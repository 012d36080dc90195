"""Use-cases for people: profiles, tags, API tokens."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kring.core import audit
from kring.core.errors import DomainError, NotAllowed
from kring.core.tagging import split_tags

from .models import ApiToken, Profile, ProfileTag, Tag, TagKind, User

MAX_TAGS_PER_KIND = 15
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_SIZE = 512
_SPLIT = re.compile(r"[,;\n]+")


def parse_tags(text: str | Iterable[str]) -> list[str]:
    """'Webdesign, duurzaamheid;  Koken' -> ['duurzaamheid', 'koken', 'webdesign'] (unique,
    sorted; the one tag rule of ``kring.core.tags``)."""
    return sorted(split_tags(text, limit=MAX_TAGS_PER_KIND))


def ensure_profile(user: User, *, display_name: str = "") -> Profile:
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"display_name": display_name or user.email.split("@")[0]}
    )
    return profile


def set_profile_tags(*, profile: Profile, tags: Mapping[str, Iterable[str]]) -> None:
    """Replace the tags of the given kinds (other kinds stay as they are)."""
    for kind, names in tags.items():
        if kind not in TagKind.values:
            raise DomainError(_("Unknown tag kind."), field="tags")
        wanted = parse_tags(names)
        existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
        missing = [Tag(name=n) for n in wanted if n not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
        ProfileTag.objects.filter(profile=profile, kind=kind).exclude(tag__name__in=wanted).delete()
        have = set(
            ProfileTag.objects.filter(profile=profile, kind=kind).values_list(
                "tag__name", flat=True
            )
        )
        ProfileTag.objects.bulk_create(
            [
                ProfileTag(profile=profile, tag=existing[n], kind=kind)
                for n in wanted
                if n not in have
            ]
        )


def process_photo(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
    """Validate an uploaded image and re-encode it as a square JPEG (no metadata kept)."""
    if upload.size and upload.size > MAX_PHOTO_BYTES:
        raise DomainError(_("The photo is too large (at most 5 MB)."), field="photo")
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            if opened.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                raise DomainError(_("Use a JPEG, PNG, WebP or GIF image."), field="photo")
            image: Image.Image = ImageOps.exif_transpose(opened).convert("RGB")
            image = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DomainError(_("This file is not an image we can read."), field="photo") from exc
    return ContentFile(out.getvalue())


@transaction.atomic
def update_profile(
    *,
    actor: User,
    profile: Profile,
    data: Mapping[str, Any],
    tags: Mapping[str, Iterable[str]] | None = None,
    photo: UploadedFile[bytes] | None = None,
    remove_photo: bool = False,
) -> Profile:
    if actor.pk != profile.user_id:
        raise NotAllowed(_("You can only edit your own profile."))
    editable = {
        "display_name",
        "story",
        "passion",
        "talents",
        "offers",
        "seeks",
        "languages",
        "city",
        "company",
        "role",
        "visibility",
    }
    for key, value in data.items():
        if key in editable:
            setattr(profile, key, value)
    if not (profile.display_name or "").strip():
        raise DomainError(_("Please fill in your name."), field="display_name")
    if remove_photo and profile.photo:
        profile.photo.delete(save=False)
    if photo is not None:
        content = process_photo(photo)
        if profile.photo:
            profile.photo.delete(save=False)
        profile.photo.save("photo.jpg", content, save=False)  # stored under a random name
    profile.full_clean(exclude=["user", "photo"])
    profile.save()
    if tags:
        set_profile_tags(profile=profile, tags=tags)
    audit.record(verb="profile.updated", actor=actor, obj=profile)
    return profile


def create_api_token(*, user: User, name: str = "API") -> tuple[ApiToken, str]:
    """Create a token; the raw key is returned once and never stored."""
    raw = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=(name or "API")[:80], key_hash=ApiToken.hash_key(raw), hint=raw[:7]
    )
    audit.record(verb="api_token.created", actor=user, obj=token)
    return token, raw


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise NotAllowed(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(verb="api_token.revoked", actor=actor, obj=token)


def revoke_all_api_tokens(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def authenticate_token(raw: str) -> User | None:
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=ApiToken.hash_key(raw))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
