"""Cover images: what an upload must be, and what we make of it (``kring.core.covers``)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from kring.core.covers import (
    MAX_COVER_BYTES,
    cover_from_upload,
    generated_cover,
    render_cover,
)
from kring.core.errors import DomainError


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def image_bytes(
    size: tuple[int, int], *, fmt: str = "JPEG", mode: str = "RGB", colour: object = "teal", **kw
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_a_large_photo_becomes_three_widths_of_jpeg_at_two_to_one() -> None:
    renditions = render_cover(image_bytes((3000, 2000)))
    assert [(r.width, r.height) for r in renditions] == [(480, 240), (960, 480), (1600, 800)]
    for r in renditions:
        img = opened(r.data)
        assert img.format == "JPEG"
        assert img.size == (r.width, r.height)


def test_no_width_larger_than_the_image_is_made() -> None:
    # 1000 x 400 crops to 800 x 400: only 480 fits (never upscaled)
    assert [r.width for r in render_cover(image_bytes((1000, 400)))] == [480]
    assert [r.width for r in render_cover(image_bytes((1200, 900)))] == [480, 960]


def test_metadata_is_dropped_and_exif_orientation_applied() -> None:
    # A portrait photo stored landscape with "rotate 90" in EXIF, plus GPS-like data.
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam"  # camera maker
    img = Image.new("RGB", (1200, 2000), "white")
    img.paste((200, 0, 0), (0, 0, 1200, 1000))  # top half red (as stored)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, comment=b"secret note")
    renditions = render_cover(out.getvalue())
    first = opened(renditions[-1].data)
    assert not first.getexif()
    assert b"SpyCam" not in renditions[-1].data
    assert b"secret note" not in renditions[-1].data
    # Displayed upright it is 2000 x 1200 with the red half on the right: the 2:1 crop
    # from the centre keeps red on the right side and white on the left.
    left = first.getpixel((20, first.height // 2))
    right = first.getpixel((first.width - 20, first.height // 2))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert left[1] > 200  # white
    assert right[0] > 150 and right[1] < 60  # red


def test_transparency_is_flattened_onto_white() -> None:
    data = image_bytes((1000, 500), fmt="PNG", mode="RGBA", colour=(0, 0, 0, 0))
    img = opened(render_cover(data)[0].data)
    px = img.getpixel((10, 10))
    assert isinstance(px, tuple) and min(px) > 240


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_other_image_types_are_accepted(fmt: str) -> None:
    assert render_cover(image_bytes((960, 480), fmt=fmt))[-1].width == 960


def test_a_file_named_jpg_that_is_no_image_is_refused() -> None:
    upload = SimpleUploadedFile("cover.jpg", b"<html>not an image</html>", "image/jpeg")
    with pytest.raises(DomainError, match="not an image we can read") as exc:
        cover_from_upload(upload)
    assert exc.value.field == "cover"


def test_a_truncated_image_is_refused() -> None:
    data = image_bytes((2000, 1000), quality=95)
    with pytest.raises(DomainError, match="not an image we can read"):
        render_cover(data[: len(data) // 2])


def test_an_image_type_we_do_not_take_is_refused() -> None:
    with pytest.raises(DomainError, match="JPEG, PNG, GIF or WebP"):
        render_cover(image_bytes((960, 480), fmt="BMP"))


def test_a_too_small_image_is_refused_with_the_minimum() -> None:
    with pytest.raises(DomainError, match="480 × 240"):
        render_cover(image_bytes((600, 200)))


def test_more_than_ten_megabytes_is_refused_before_reading() -> None:
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_COVER_BYTES + 1), "image/jpeg")
    with pytest.raises(DomainError, match="too large"):
        cover_from_upload(upload)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(DomainError, match="empty"):
        cover_from_upload(SimpleUploadedFile("e.png", b"", "image/png"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    # A small PNG that claims 20,000 x 20,000 pixels (400 megapixels) once decoded.
    data = image_bytes((20_000, 20_000), fmt="PNG", mode="1", colour=0, optimize=True)
    assert len(data) < MAX_COVER_BYTES
    with pytest.raises(DomainError, match="too many pixels"):
        render_cover(data)


def test_an_image_over_our_pixel_limit_is_refused() -> None:
    # 7,000 x 6,000 = 42 megapixels: under Pillow's own limit, over ours
    data = image_bytes((7000, 6000), fmt="PNG", mode="1", colour=0, optimize=True)
    with pytest.raises(DomainError, match="too many pixels"):
        render_cover(data)


def test_the_demo_cover_is_a_pleasant_wide_image() -> None:
    data = generated_cover(1, ("#0b6e4f", "#2f5d80", "#7fb9a1"))
    assert [r.width for r in render_cover(data)] == [480, 960, 1600]


def test_reencode_image_drops_a_jpeg_comment_too() -> None:
    # The same care for post images and photos (kring.core.files.reencode_image).
    from kring.core.files import reencode_image

    out = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(out, format="JPEG", comment=b"home address")
    data, _ext, _w, _h = reencode_image(out.getvalue(), max_side=100)
    assert b"home address" not in data
