"""The icons in the vendored Lucide sprite (``static/kring/icons.svg``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SPRITE = Path(__file__).parent / "static" / "kring" / "icons.svg"


@cache
def icon_names() -> list[str]:
    return re.findall(r'<symbol id="([a-z0-9-]+)"', SPRITE.read_text())
