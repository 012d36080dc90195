"""Receipt uploads: the type is sniffed from the first bytes, never trusted from the name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kring.core.errors import DomainError

MAX_RECEIPT_BYTES = 5 * 1024 * 1024

_SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    """Return ``(content_type, extension)`` for a PDF or an image, else ``None``."""
    for magic, ctype, ext in _SIGNATURES:
        if head.startswith(magic):
            return ctype, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check_receipt(upload: Any) -> tuple[str, str]:
    """Validate an uploaded file; raise :class:`DomainError` with a clear message."""

    if upload.size > MAX_RECEIPT_BYTES:
        raise DomainError(
            _("The receipt is too large (%(size)s MB); the limit is %(max)s MB."),
            field="receipt",
            size=round(upload.size / 1_048_576, 1),
            max=MAX_RECEIPT_BYTES // 1_048_576,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise DomainError(
            _("A receipt must be a photo (JPEG, PNG, GIF, WebP) or a PDF."), field="receipt"
        )
    return kind
