"""Reading a list of tags from a form or an API call, by the one rule of :mod:`kring.core.tags`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .tags import normalise_tag

_SEPARATORS = re.compile(r"[,;\n]+")


def split_tags(text: str | Iterable[str], *, limit: int, field: str = "tags") -> list[str]:
    """Unique tags in the order given (``"Koken, koken;  Webdesign"`` gives ``["koken",
    "webdesign"]``); more than ``limit`` is refused with a clear message, never cut silently."""
    items = _SEPARATORS.split(text) if isinstance(text, str) else [str(t) for t in text]
    tags: list[str] = []
    for item in items:
        tag = normalise_tag(item)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > limit:
        raise DomainError(_("Use at most %(n)s tags."), field=field, n=limit)
    return tags
