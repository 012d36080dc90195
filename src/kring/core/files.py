"""Stored files: random names, and served only through a view that decides who may see them.

Every upload is stored as ``<folder>/<32 hex digits>.<ext>`` — 128 random bits, never the
uploader's file name, an id or a date — and nothing under ``MEDIA_ROOT`` has a public URL.
A view authorises the request (``access_network``, a visibility rule, "is this post public")
and then answers with :func:`serve_file`, which picks how the bytes travel:

- ``KRING_FILE_SERVING=django`` (default): Django streams the file (``FileResponse``);
- ``x-accel-redirect``: nginx or Caddy send the file from an internal location
  (``KRING_FILE_ACCEL_PREFIX``, default ``/_kring_files/``) mapped to ``MEDIA_ROOT``;
- ``x-sendfile``: Apache/lighttpd send the file at its absolute path;
- S3 storage (``KRING_S3_BUCKET``): a redirect to a presigned URL valid
  ``PRESIGNED_SECONDS``, with the download name and type signed into it.

The original file name, where it matters, is kept in a model field next to the file and
given to :func:`serve_file` as ``filename`` (``Content-Disposition``).

Adding an upload (see CONTRIBUTING): ``models.FileField(upload_to=RandomName("app/kind"))``
plus ``<field>_name = models.CharField(max_length=200, blank=True)`` for the original name,
save with ``field.save(original_name(upload), upload)``, and one view that checks permission
and returns ``serve_file(...)`` (or ``serve_public_image`` for images public on purpose).
"""

from __future__ import annotations

import io
import mimetypes
import re
import secrets
import unicodedata
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kring.core.errors import DomainError

PRESIGNED_SECONDS = 300
PUBLIC_MAX_AGE = 86_400
ORIGINAL_NAME_MAX = 200
# Types a browser may show in the page; everything else is a download.
INLINE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain"}
)
SERVING_MODES = ("django", "x-accel-redirect", "x-sendfile")
_EXT = re.compile(r"^[a-z0-9]{1,8}$")
_RANDOM_NAME = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,8})?$")


# --- Names --------------------------------------------------------------------------------


def extension_of(name: str) -> str:
    """The lower-case extension of ``name`` if it is plain (``pdf``, ``jpg``), else ''."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base:
        return ""
    ext = base.rsplit(".", 1)[-1].lower()
    return ext if _EXT.match(ext) else ""


def random_name(folder: str, original: str = "", *, ext: str = "") -> str:
    """``folder/<128 random bits as hex>.<ext>``; the extension comes from ``original``."""
    ext = (ext or extension_of(original)).lower().lstrip(".")
    stem = secrets.token_hex(16)
    name = f"{stem}.{ext}" if ext and _EXT.match(ext) else stem
    return f"{folder.strip('/')}/{name}"


def is_random_name(name: str) -> bool:
    """Whether a stored name's last part is a name made by :func:`random_name`."""
    return bool(_RANDOM_NAME.match(name.rsplit("/", 1)[-1]))


def original_name(upload: Any, default: str = "file") -> str:
    """The uploader's file name, cleaned for ``Content-Disposition`` (kept in the database)."""
    raw = str(getattr(upload, "name", "") or "")
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip()
    base = base.strip(". ")
    if len(base) > ORIGINAL_NAME_MAX:
        ext = extension_of(base)
        keep = ORIGINAL_NAME_MAX - len(ext) - 1 if ext else ORIGINAL_NAME_MAX
        base = base[:keep] + (f".{ext}" if ext else "")
    return base or default


@deconstructible
class RandomName:
    """``upload_to`` for a ``FileField``: every file gets :func:`random_name` in ``folder``."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        return random_name(self.folder, filename)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def save_random(
    folder: str, content: bytes, *, ext: str = "", storage: Storage | None = None
) -> str:
    """Store bytes that belong to no model field (exports) under a random name; the name."""
    storage = storage or default_storage
    return storage.save(random_name(folder, ext=ext), ContentFile(content))


def move_to_random_name(storage: Storage, name: str, folder: str) -> str:
    """Copy a stored file to a random name in ``folder`` and delete the old one (migrations)."""
    if not name or not storage.exists(name):
        return name
    with storage.open(name, "rb") as handle:
        new = storage.save(random_name(folder, name), ContentFile(handle.read()))
    storage.delete(name)
    return new


# --- Images ---------------------------------------------------------------------------------


def reencode_image(
    data: bytes, *, max_side: int, max_pixels: int = 40_000_000, field: str = "image"
) -> tuple[bytes, str, int, int]:
    """Check an uploaded image and re-encode it (no metadata kept): (bytes, ext, width, height).

    JPEG, PNG, GIF and WebP are accepted; the result is a PNG when the image has transparency,
    else a JPEG, at most ``max_side`` pixels on its longest side.
    """
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            w, h = probe.size
        if fmt not in {"JPEG", "PNG", "GIF", "WEBP"}:
            raise DomainError(_("Upload a JPEG, PNG, GIF or WebP image."), field=field)
        if w * h > max_pixels:
            raise DomainError(_("The image has too many pixels."), field=field)
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            img: Image.Image = ImageOps.exif_transpose(opened)
            img.thumbnail((max_side, max_side))
            img.info = {}  # else Pillow writes back a JPEG comment or XMP it read
            out = io.BytesIO()
            if img.mode in ("RGBA", "LA", "P"):
                img = img.convert("RGBA")
                img.save(out, format="PNG", optimize=True)
                ext = "png"
            else:
                img = img.convert("RGB")
                img.save(out, format="JPEG", quality=85, optimize=True)
                ext = "jpg"
            return out.getvalue(), ext, img.width, img.height
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(_("This file is not an image we can read."), field=field) from exc


# --- Serving --------------------------------------------------------------------------------


def _is_remote(storage: Storage) -> bool:
    """True for storages without local paths (S3): those serve by presigned URL."""
    try:
        storage.path("x")
    except NotImplementedError:
        return True
    return False


def serve_file(
    request: HttpRequest,
    file: FieldFile | str,
    *,
    filename: str = "",
    content_type: str = "",
    inline: bool = False,
    public: bool = False,
    storage: Storage | None = None,
) -> HttpResponseBase:
    """Answer with a stored file. Call it only after the view has checked permission.

    ``filename`` is the download name (the original name); ``inline`` shows images and PDFs
    in the browser (other types always download); ``public`` marks an image that is public
    on purpose (cacheable by anyone) — everything else is ``private, no-store``.
    """
    if isinstance(file, FieldFile):
        name, storage = file.name or "", storage or file.storage
    else:
        name, storage = file, storage or default_storage
    filename = filename or name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(filename)[0] or ""
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    as_attachment = not (inline and content_type in INLINE_TYPES)
    disposition = content_disposition_header(as_attachment, filename) or "attachment"
    mode = getattr(settings, "KRING_FILE_SERVING", "django")

    response: HttpResponseBase
    if _is_remote(storage):
        url = storage.url(  # type: ignore[call-arg]
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=PRESIGNED_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    if not storage.exists(name):
        raise Http404(_("No such file."))
    if mode == "x-accel-redirect":
        prefix = getattr(settings, "KRING_FILE_ACCEL_PREFIX", "/_kring_files/")
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file opened directly is a document of its own: no scripts, no plugins.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = (
        f"public, max-age={PUBLIC_MAX_AGE}" if public else "private, no-store"
    )
    if not public:
        request.no_store = True  # type: ignore[attr-defined]
    return response


def serve_public_image(request: HttpRequest, file: FieldFile) -> HttpResponseBase:
    """An image that is public on purpose (a public post's image, a network cover)."""
    return serve_file(request, file, inline=True, public=True)


def rename_stored_files(
    model: Any,
    field: str,
    folder: str,
    *,
    name_field: str = "",
    original: Any = None,
) -> list[tuple[Any, str, str]]:
    """Move every file of ``model.field`` to a random name in ``folder`` (data migrations).

    Keeps the old file's last part (or ``original(obj, old_name)``) in ``name_field``.
    Idempotent: files already under a random name in ``folder`` stay. Returns
    ``(obj, old, new)`` for every moved file.
    """
    moved = []
    for obj in model._default_manager.exclude(**{field: ""}).iterator():
        file = getattr(obj, field)
        old = file.name or ""
        if not old or (old.startswith(f"{folder}/") and is_random_name(old)):
            continue
        new = move_to_random_name(file.storage, old, folder)
        updates = {field: new}
        if name_field and not getattr(obj, name_field):
            kept = original(obj, old) if original else old.rsplit("/", 1)[-1]
            updates[name_field] = kept[:ORIGINAL_NAME_MAX]
        model._default_manager.filter(pk=obj.pk).update(**updates)
        moved.append((obj, old, new))
    return moved
