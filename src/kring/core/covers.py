"""Cover images (a network's, a gathering's): checked, re-encoded, stored in a few widths.

A cover is an upload like any other (``kring.core.files``: random names, served only by a
view that checks who may see it), but pages show it at several sizes, so one upload becomes
up to three renditions, cropped to 2:1 from the centre:

- **small** 480 × 240, **medium** 960 × 480, **large** 1600 × 800 — a width is made only when
  the image is at least that wide (never upscaled); the smallest is always there, so an image
  smaller than 480 × 240 is refused;
- re-encoded as progressive JPEG (every browser and every link-preview crawler reads it),
  EXIF orientation applied, every byte of metadata (EXIF, GPS, comments) dropped,
  transparency flattened onto white;
- checked from the bytes, never the name: JPEG, PNG, GIF or WebP, at most
  ``MAX_COVER_BYTES``, at most ``MAX_COVER_PIXELS`` decoded pixels and ``MAX_COVER_SIDE`` on a
  side (a decompression bomb is refused before it is decoded), and a truncated file is refused.

A model gets the three file fields from :class:`CoverFields` and says where a rendition is
served (``cover_url``). Templates draw it with ``{% cover_img obj sizes=... %}`` (a
``srcset`` with width and height, lazy unless ``eager``); the API puts :func:`cover_json`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from kring.core.errors import DomainError
from kring.core.files import RandomName, is_random_name, serve_file, serve_public_image

MAX_COVER_BYTES = 10 * 1024 * 1024
MAX_COVER_PIXELS = 40_000_000
MAX_COVER_SIDE = 12_000
# (field name, width); the height is half the width.
SLOTS: tuple[tuple[str, int], ...] = (
    ("cover_small", 480),
    ("cover_medium", 960),
    ("cover_large", 1600),
)
MIN_WIDTH = SLOTS[0][1]
JPEG_QUALITY = 82
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class CoverSource:
    width: int
    height: int
    url: str


# --- Checking and re-encoding ------------------------------------------------------------


def _too_large(field: str) -> DomainError:
    return DomainError(
        _("The image is too large (at most %(mb)s MB)."),
        field=field,
        mb=MAX_COVER_BYTES // (1024 * 1024),
    )


def read_upload(upload: Any, *, field: str = "cover") -> bytes:
    """The bytes of an uploaded file, refusing more than ``MAX_COVER_BYTES`` before reading it."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_COVER_BYTES:
        raise _too_large(field)
    data: bytes = upload.read(MAX_COVER_BYTES + 1)
    if len(data) > MAX_COVER_BYTES:
        raise _too_large(field)
    if not data:
        raise DomainError(_("The file is empty."), field=field)
    return data


def _flatten(img: Image.Image) -> Image.Image:
    """RGB; transparent parts become white (JPEG has no transparency)."""
    if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return img.convert("RGB")


def render_cover(data: bytes, *, field: str = "cover") -> list[Rendition]:
    """Check an uploaded image and make its renditions (smallest first); DomainError if bad."""
    if len(data) > MAX_COVER_BYTES:
        raise _too_large(field)
    unreadable = DomainError(_("This file is not an image we can read."), field=field)
    too_many = DomainError(
        _("The image has too many pixels (at most %(mp)s megapixels, %(side)s on a side)."),
        field=field,
        mp=MAX_COVER_PIXELS // 1_000_000,
        side=MAX_COVER_SIDE,
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            fmt, (w, h) = probe.format, probe.size
    except Image.DecompressionBombError as exc:  # Pillow's own limit, far above ours
        raise too_many from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise unreadable from exc
    if fmt not in ACCEPTED_FORMATS:
        raise DomainError(_("Upload a JPEG, PNG, GIF or WebP image."), field=field)
    if w * h > MAX_COVER_PIXELS or max(w, h) > MAX_COVER_SIDE:
        raise too_many
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()  # a truncated file fails here
            img = _flatten(ImageOps.exif_transpose(opened))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise unreadable from exc
    w, h = img.size
    crop_w = min(w, 2 * h)
    if crop_w < MIN_WIDTH:
        raise DomainError(
            _("The image is too small: a cover needs at least %(w)s × %(h)s pixels."),
            field=field,
            w=MIN_WIDTH,
            h=MIN_WIDTH // 2,
        )
    out = []
    for _slot, width in SLOTS:
        if width > crop_w:
            break
        fitted = ImageOps.fit(img, (width, width // 2), Image.Resampling.LANCZOS)
        fitted.info = {}  # Pillow would write a JPEG comment, ICC or XMP it carried over
        buf = io.BytesIO()
        fitted.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        out.append(Rendition(width=width, height=width // 2, data=buf.getvalue()))
    return out


def cover_from_upload(upload: Any, *, field: str = "cover") -> list[Rendition]:
    return render_cover(read_upload(upload, field=field), field=field)


# --- The model side ------------------------------------------------------------------------


class CoverFields(models.Model):
    """Three renditions of a cover; a model using it implements ``cover_url(key)``."""

    cover_small = models.ImageField(
        upload_to=RandomName("covers"), blank=True, editable=False, max_length=200
    )
    cover_medium = models.ImageField(
        upload_to=RandomName("covers"), blank=True, editable=False, max_length=200
    )
    cover_large = models.ImageField(
        upload_to=RandomName("covers"), blank=True, editable=False, max_length=200
    )

    class Meta:
        abstract = True

    @property
    def has_cover(self) -> bool:
        return bool(self.cover_small)

    def cover_files(self) -> list[tuple[int, FieldFile]]:
        """(width, file) of every stored rendition, smallest first."""
        files = []
        for slot, width in SLOTS:
            file: FieldFile = getattr(self, slot)
            if file:
                files.append((width, file))
        return files

    def cover_file(self, key: str) -> FieldFile | None:
        """The rendition stored as ``covers/<key>``, if it is one of this object's."""
        if not is_random_name(key):
            return None
        for _width, file in self.cover_files():
            if (file.name or "").rsplit("/", 1)[-1] == key:
                return file
        return None

    def cover_url(self, key: str) -> str:  # pragma: no cover - every model defines it
        raise NotImplementedError

    def cover_sources(self) -> list[CoverSource]:
        return [
            CoverSource(
                width=w, height=w // 2, url=self.cover_url((f.name or "").rsplit("/", 1)[-1])
            )
            for w, f in self.cover_files()
        ]


def store_cover(obj: CoverFields, renditions: Sequence[Rendition]) -> list[str]:
    """Put new renditions on ``obj`` (not saved); returns the names of the old files, which
    the caller deletes after commit with :func:`delete_after_commit`."""
    old = clear_cover(obj)
    by_width = {r.width: r for r in renditions}
    for slot, width in SLOTS:
        r = by_width.get(width)
        if r is not None:
            getattr(obj, slot).save("cover.jpg", ContentFile(r.data), save=False)
    return old


def clear_cover(obj: CoverFields) -> list[str]:
    """Take the renditions off ``obj`` (not saved); the old files' names."""
    old = []
    for slot, _width in SLOTS:
        file: FieldFile = getattr(obj, slot)
        if file:
            old.append(file.name or "")
        setattr(obj, slot, "")
    return [n for n in old if n]


COVER_FIELDS = tuple(slot for slot, _w in SLOTS)


def delete_after_commit(storage: Storage, names: Iterable[str]) -> None:
    """Delete replaced files once the change is committed (a rollback keeps them)."""
    names = list(names)
    if names:

        def delete() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete)


def save_cover(obj: CoverFields, renditions: Sequence[Rendition] | None) -> None:
    """Replace ``obj``'s cover by ``renditions`` (``None``: remove it) and save those fields
    (and ``updated_at``, which public pages' caches read); the old files go after commit."""
    old = store_cover(obj, renditions) if renditions else clear_cover(obj)
    fields = [*COVER_FIELDS]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    delete_after_commit(storage_of(obj), old)


def storage_of(obj: CoverFields) -> Storage:
    storage: Storage = obj._meta.get_field("cover_small").storage
    return storage


def cover_json(obj: CoverFields) -> dict[str, Any] | None:
    """The API's ``cover``: null, or the size of the largest rendition and the absolute URL
    (on ``SITE_URL``) of every width."""
    sources = obj.cover_sources()
    if not sources:
        return None
    largest = sources[-1]
    return {
        "width": largest.width,
        "height": largest.height,
        "urls": {str(s.width): f"{settings.SITE_URL}{s.url}" for s in sources},
    }


def serve_cover(request: HttpRequest, obj: Any, key: str, *, is_member: bool) -> HttpResponseBase:
    """Answer with one rendition of ``obj``'s cover: to anyone when the cover is public
    (``obj.cover_is_public``, cacheable), else only to members (``private, no-store``); 404
    for everyone else, as for a missing file."""
    file = obj.cover_file(key) if obj is not None else None
    if file is None:
        raise Http404(_("No such image."))
    if obj.cover_is_public:
        return serve_public_image(request, file)
    if not is_member:
        raise Http404(_("No such image."))
    return serve_file(request, file, filename="cover.jpg", inline=True)


def og_image(obj: CoverFields, absolute: Any) -> dict[str, Any] | None:
    """The largest rendition for Open Graph / Twitter cards (absolute URL, width, height)."""
    sources = obj.cover_sources()
    if not sources:
        return None
    s = sources[-1]
    return {"url": str(absolute(s.url)), "width": s.width, "height": s.height}


# --- The form ------------------------------------------------------------------------------


class CoverForm(forms.Form):
    """Upload a cover, or remove it (the button named ``remove``)."""

    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_(
            "A wide photo or picture (JPEG, PNG, GIF or WebP, at most 10 MB, at least "
            "480 × 240 pixels). It is cropped to 2:1 from the centre; location and camera "
            "details are removed."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.data.get("remove") and not data.get("cover") and not self.errors:
            self.add_error("cover", _("Choose an image to upload."))
        return data


# --- Demo covers ---------------------------------------------------------------------------


# Palettes from the design tokens (--primary, --chart-2/3/4, --accent and their soft fills).
DEMO_COVER_COLOURS: tuple[tuple[str, ...], ...] = (
    ("#0b6e4f", "#2f5d80", "#7fb9a1", "#e1f0e8"),
    ("#a8441d", "#0b6e4f", "#fbebe2", "#7fb9a1"),
    ("#2f5d80", "#7fb9a1", "#b9cfe0", "#0b6e4f"),
)


def generated_cover(seed: int, colours: Sequence[str], *, width: int = 1600) -> bytes:
    """A pleasant abstract cover (a gradient with soft circles) as PNG bytes: for the demo."""
    rgb = [tuple(int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)) for c in colours]
    height = width // 2
    img = Image.new("RGB", (width, height))
    top, bottom = rgb[0], rgb[1 % len(rgb)]
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    odraw = ImageDraw.Draw(overlay)
    for i in range(7):
        angle = (seed * 37 + i * 53) % 360
        r = height * (0.18 + 0.09 * ((seed + i) % 4))
        cx = width * (0.1 + 0.8 * ((seed * 13 + i * 29) % 100) / 100)
        cy = height / 2 + math.sin(math.radians(angle)) * height * 0.35
        colour = rgb[(i + seed) % len(rgb)]
        odraw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*colour, 70 + 12 * (i % 3)))
    img = Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
