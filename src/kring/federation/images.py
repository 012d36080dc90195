"""The network's fediverse avatar (``icon``) and header (``image``): generated PNGs with its
initials and name, since a network has no picture of its own. Mastodon shows raster images
only, so these are PNG, not SVG."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

PALETTE = ["#1d4e89", "#00798c", "#30638e", "#2e7d32", "#8e3b46", "#6a4c93", "#b5651d"]
SIZES = {"icon": (400, 400), "header": (1500, 500)}


def _colour(seed: str) -> str:
    return PALETTE[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(PALETTE)]


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "K"


def render(kind: str, *, slug: str, name: str) -> bytes:
    width, height = SIZES[kind]
    image = Image.new("RGB", (width, height), _colour(slug))
    draw = ImageDraw.Draw(image)
    text = initials(name) if kind == "icon" else name[:40]
    size = 170 if kind == "icon" else 90
    font = ImageFont.load_default(size=size)
    box = draw.textbbox((0, 0), text, font=font)
    while box[2] - box[0] > width * 0.9 and size > 20:
        size -= 10
        font = ImageFont.load_default(size=size)
        box = draw.textbbox((0, 0), text, font=font)
    x = (width - (box[2] - box[0])) / 2 - box[0]
    y = (height - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), text, fill="white", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
