"""Build Kring's SVG icon sprite from the Lucide icon set (ISC licence).

The sprite ``src/kring/core/static/kring/icons.svg`` is vendored and committed; this script
only regenerates it when an icon is added. Lucide is pinned to the version below::

    cd /tmp && npm pack lucide-static@1.62.0
    mkdir lucide && tar xzf lucide-static-1.62.0.tgz -C lucide
    python3 tools/build_icons.py /tmp/lucide/package/icons

Templates use an icon with ``{% icon "house" %}`` (see ``docs/design.md``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LUCIDE_VERSION = "1.62.0"
ICONS = """
arrow-left arrow-right bell bold book-open briefcase calendar calendar-days chart-column
check chevron-down chevron-left chevron-right circle-check circle-help clipboard-check
clipboard-list clock compass copy door-open ellipsis external-link file-text hand-heart
handshake heading heart-handshake house image inbox info italic languages layout-grid
lightbulb link list list-checks list-ordered log-out mail map-pin message-circle monitor
moon pencil plus qr-code quote receipt rss scale search settings share-2 shield
sliders-horizontal sparkles sun target trash-2 triangle-alert upload user user-plus users
users-round video wallet wrench x
""".split()  # noqa: SIM905 - one word per icon reads better here

OUT = Path(__file__).resolve().parent.parent / "src/kring/core/static/kring/icons.svg"


def symbol(name: str, source: str) -> str:
    body = re.search(r"<svg[^>]*>(.*)</svg>", source, re.S)
    if body is None:
        raise SystemExit(f"not an SVG: {name}")
    inner = re.sub(r"\s+", " ", body.group(1)).replace(" />", "/>").strip()
    return f'<symbol id="{name}" viewBox="0 0 24 24">{inner}</symbol>'


def main(icon_dir: str) -> None:
    folder = Path(icon_dir)
    symbols = [symbol(n, (folder / f"{n}.svg").read_text()) for n in sorted(ICONS)]
    OUT.write_text(
        f"<!-- Lucide {LUCIDE_VERSION} (ISC licence, https://lucide.dev); "
        "built by tools/build_icons.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )
    print(f"{len(symbols)} icons -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
