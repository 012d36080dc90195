"""Build the installable app's icons (PNG) from Kring's logo: a ring on the brand colour.

The logo is the ring of ``src/kring/core/static/kring/favicon.svg`` (a circle of radius 12
with a stroke of 5 in a 32-unit box). The PNGs are committed as static files; run this only
when the logo or the colours change::

    python3 -m uv run python tools/build_app_icons.py

Colours are the design tokens of ``kring.css`` (light theme): ``--primary`` behind the ring,
``--on-primary`` for the ring. Icons:

- ``icon-192.png``, ``icon-512.png`` (``purpose: any``): a rounded square, transparent corners;
- ``maskable-512.png`` (``purpose: maskable``): full bleed, the ring inside the safe zone (the
  central circle of 80 % diameter that every platform's mask keeps);
- ``apple-touch-icon.png`` (180 px, iOS home screen): full bleed, iOS rounds the corners;
- ``badge-96.png``: the ring alone, white on transparent, for a push notification's badge.

Pillow draws at 4x and scales down, for smooth edges.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

PRIMARY = "#0b6e4f"  # --primary (light)
ON_PRIMARY = "#ffffff"  # --on-primary (light)
OUT = Path(__file__).resolve().parent.parent / "src/kring/core/static/kring/app"
SUPERSAMPLE = 4


def draw(size: int, *, ring_share: float, rounded: bool, ground: bool = True) -> Image.Image:
    """The ring takes ``ring_share`` of the icon's width (outer edge to outer edge)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if ground and rounded:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * 0.22), fill=PRIMARY)
    elif ground:
        pen.rectangle((0, 0, big - 1, big - 1), fill=PRIMARY)
    # The favicon's proportions: radius 12 + half the stroke 2.5 = 14.5 outer, stroke 5.
    outer = big * ring_share / 2
    stroke = outer * 5 / 14.5
    centre = big / 2
    pen.ellipse(
        (centre - outer, centre - outer, centre + outer, centre + outer),
        outline=ON_PRIMARY,
        width=round(stroke),
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


ICONS = {
    "icon-192.png": (192, 0.62, True),
    "icon-512.png": (512, 0.62, True),
    # Safe zone: a circle of 40 % radius; the ring's outer edge stays at 28 % (56 % wide).
    "maskable-512.png": (512, 0.56, False),
    "apple-touch-icon.png": (180, 0.6, False),
}
#: A notification's badge (Android's status bar): the ring alone, white on transparent.
BADGE = ("badge-96.png", 96, 0.8)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (size, share, rounded) in ICONS.items():
        image = draw(size, ring_share=share, rounded=rounded)
        if not rounded:  # full bleed: no transparency (iOS shows it black)
            image = image.convert("RGB")
        image.save(OUT / name, optimize=True)
        print(f"{name}: {size}x{size} -> {OUT / name}")
    name, size, share = BADGE
    draw(size, ring_share=share, rounded=False, ground=False).save(OUT / name, optimize=True)
    print(f"{name}: {size}x{size} -> {OUT / name}")


if __name__ == "__main__":
    main()
