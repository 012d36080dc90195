from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kring.core.errors import DomainError, NotAllowed
from kring.people.models import ProfileTag
from kring.people.services import parse_tags, process_photo, set_profile_tags, update_profile

pytestmark = pytest.mark.django_db


def _image(fmt: str = "PNG", size: tuple[int, int] = (900, 600)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 50, 50)).save(buf, format=fmt)
    return SimpleUploadedFile(f"me.{fmt.lower()}", buf.getvalue(), content_type="image/png")


def test_parse_tags_normalises_and_deduplicates() -> None:
    assert parse_tags("Webdesign, duurzaamheid;  Koken\nwebdesign ,, ") == [
        "duurzaamheid",
        "koken",
        "webdesign",
    ]
    with pytest.raises(DomainError):
        parse_tags(",".join(f"tag{i}" for i in range(20)))


def test_set_profile_tags_replaces_only_given_kinds(member: Any) -> None:
    profile = member.profile
    set_profile_tags(profile=profile, tags={"talent": ["a", "b"], "seek": ["c"]})
    set_profile_tags(profile=profile, tags={"talent": ["b", "d"]})
    assert profile.tags_of("talent") == ["b", "d"]
    assert profile.tags_of("seek") == ["c"]
    assert ProfileTag.objects.filter(profile=profile).count() == 3


def test_photo_is_reencoded_square_jpeg() -> None:
    content = process_photo(_image())
    with Image.open(io.BytesIO(content.read())) as img:
        assert img.format == "JPEG" and img.size == (512, 512)


def test_non_image_photo_is_refused() -> None:
    fake = SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(DomainError) as exc:
        process_photo(fake)
    assert exc.value.field == "photo"


def test_only_the_owner_edits_a_profile(member: Any, host: Any) -> None:
    with pytest.raises(NotAllowed):
        update_profile(actor=host, profile=member.profile, data={"display_name": "X"})


def test_edit_profile_page_saves_text_tags_and_photo(client: Any, member: Any) -> None:
    client.force_login(member)
    response = client.post(
        "/me/edit/",
        {
            "display_name": "Mila de Jong",
            "passion": "Websites die helpen",
            "story": "",
            "talents": "",
            "offers": "",
            "seeks": "",
            "languages": "nl",
            "city": "Utrecht",
            "company": "Studio Mila",
            "role": "",
            "visibility": "public",
            "passion_tags": "duurzaamheid, design",
            "talent_tags": "webdesign",
            "offer_tags": "",
            "seek_tags": "klanten",
            "photo": _image("JPEG"),
        },
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.display_name == "Mila de Jong"
    assert member.profile.passion_tags == ["design", "duurzaamheid"]
    assert member.profile.seek_tags == ["klanten"]
    assert member.profile.photo.name.endswith(".jpg")
    page = client.get("/me/")
    assert "no-store" in page["Cache-Control"]
    assert "Websites die helpen" in page.content.decode()


def test_edit_profile_refuses_empty_name_and_keeps_data(client: Any, member: Any) -> None:
    client.force_login(member)
    response = client.post("/me/edit/", {"display_name": "", "visibility": "networks"})
    assert response.status_code == 200
    member.profile.refresh_from_db()
    assert member.profile.display_name == "Mila Member"


def test_me_pages_need_login(client: Any) -> None:
    for url in ["/me/", "/me/edit/", "/me/tokens/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
