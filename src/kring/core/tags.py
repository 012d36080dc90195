"""The one rule for tags (people's passions and talents, knowledge topics, request topics, and
the introductions engine's matching): pure Python, so the engine can use it too.

A tag is NFKC-normalised and case-folded (``"Ｗeb　Design"`` and ``"web design"`` are one tag),
punctuation other than ``- + # . / & '`` is dropped (``"Starters!"`` is ``"starters"``, ``"c++"``
and ``"node.js"`` stay), runs of spaces become one, and it is at most 60 characters long.
"""

from __future__ import annotations

import re
import unicodedata

TAG_MAX_LENGTH = 60
_DROP = re.compile(r"[^\w\-+#./&' ]+")


def normalise_tag(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_DROP.sub(" ", folded).split())[:TAG_MAX_LENGTH].strip()
