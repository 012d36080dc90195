"""Stored files: random names, no public /media/ route, and every way of serving a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import Client, RequestFactory

from kring.core.files import (
    RandomName,
    extension_of,
    is_random_name,
    original_name,
    random_name,
    rename_stored_files,
    save_random,
    serve_file,
)


def test_random_names_carry_128_bits_and_only_a_plain_extension() -> None:
    names = {random_name("ledger/receipts", "Bon van 3 december.PDF") for _ in range(200)}
    assert len(names) == 200
    for name in names:
        folder, base = name.rsplit("/", 1)
        assert folder == "ledger/receipts"
        stem, ext = base.split(".")
        assert len(stem) == 32 and int(stem, 16) >= 0 and ext == "pdf"
        assert is_random_name(name)
    assert random_name("x", "../../etc/passwd").count("/") == 1
    assert extension_of("a.tar.gz") == "gz"
    assert extension_of("evil.p h p") == ""
    assert not is_random_name("gatherings/prep/2026/12/b.pdf")
    assert RandomName("a")(None, "plan.docx").startswith("a/")
    assert RandomName("a") == RandomName("a") and RandomName("a") != RandomName("b")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C:\\Users\\me\\Agenda 3 dec.pdf", "Agenda 3 dec.pdf"),
        ("../../secret.txt", "secret.txt"),
        ("bad\nname\x00.pdf", "badname.pdf"),
        ("", "file"),
        ("...", "file"),
    ],
)
def test_original_names_are_cleaned_for_content_disposition(raw: str, expected: str) -> None:
    assert original_name(ContentFile(b"x", name=raw)) == expected


def test_long_original_names_keep_their_extension() -> None:
    name = original_name(ContentFile(b"x", name="a" * 300 + ".pdf"))
    assert len(name) == 200 and name.endswith(".pdf")


def test_there_is_no_public_media_route(client: Client, settings: Any, db: Any) -> None:
    """Regression: /media/ served every upload to anyone who knew or guessed its path."""
    name = save_random("gatherings/prep", b"%PDF-1.4 private", ext="pdf")
    Path(settings.MEDIA_ROOT, "gatherings/prep/b.pdf").write_bytes(b"%PDF-1.4 guessable")
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get("/media/gatherings/prep/b.pdf").status_code == 404


def _request() -> Any:
    return RequestFactory().get("/")


def test_serve_file_streams_with_the_original_name_and_private_headers(db: Any) -> None:
    name = save_random("x", b"%PDF-1.4 hello", ext="pdf")
    response = serve_file(_request(), name, filename="Agenda 3 dec.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Agenda 3 dec.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_only_images_and_pdfs_are_shown_inline(db: Any) -> None:
    html = save_random("x", b"<script>alert(1)</script>", ext="html")
    response = serve_file(_request(), html, filename="page.html", inline=True)
    assert response["Content-Disposition"].startswith("attachment;")
    png = save_random("x", b"\x89PNG", ext="png")
    response = serve_file(_request(), png, inline=True, public=True)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"].startswith("public, max-age=")


def test_a_missing_file_is_404(db: Any) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        serve_file(_request(), "x/" + "0" * 32 + ".pdf")


def test_x_accel_redirect_hands_the_file_to_the_proxy(settings: Any, db: Any) -> None:
    settings.KRING_FILE_SERVING = "x-accel-redirect"
    name = save_random("ledger/receipts", b"%PDF", ext="pdf")
    response = serve_file(_request(), name, filename="bon.pdf")
    assert response["X-Accel-Redirect"] == f"/_kring_files/{name}"
    assert response.content == b""
    assert "bon.pdf" in response["Content-Disposition"]


def test_x_sendfile_names_the_absolute_path(settings: Any, db: Any) -> None:
    settings.KRING_FILE_SERVING = "x-sendfile"
    name = save_random("x", b"data", ext="txt")
    response = serve_file(_request(), name)
    assert response["X-Sendfile"] == default_storage.path(name)
    assert response.content == b""


class FakeS3:
    """Just enough of django-storages' S3Storage: no local paths, presigned URLs."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def path(self, name: str) -> str:
        raise NotImplementedError

    def url(self, name: str, parameters: Any = None, expire: Any = None) -> str:
        self.calls.append({"name": name, "parameters": parameters, "expire": expire})
        return f"https://bucket.example/{name}?X-Amz-Signature=abc"


def test_s3_answers_with_a_short_lived_presigned_url() -> None:
    storage = FakeS3()
    response = serve_file(
        _request(),
        "exports/1/abc.zip",
        storage=storage,
        filename="kring-my-data.zip",  # type: ignore[arg-type]
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://bucket.example/exports/1/abc.zip?")
    assert response["Cache-Control"] == "private, no-store"
    call = storage.calls[0]
    assert call["expire"] == 300
    assert "kring-my-data.zip" in call["parameters"]["ResponseContentDisposition"]
    assert call["parameters"]["ResponseContentType"] == "application/zip"


def test_existing_files_move_to_random_names(member: Any, settings: Any) -> None:
    """The data migrations' helper: old guessable names move, the original name is kept."""
    from kring.people.models import Profile

    storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    old = f"profiles/{member.pk}-20261203101500.jpg"
    storage.save(old, ContentFile(b"jpeg bytes"))
    Profile.objects.filter(user=member).update(photo=old)

    moved = rename_stored_files(Profile, "photo", "profiles", name_field="city")
    profile = Profile.objects.get(user=member)
    assert [(o, n) for _obj, o, n in moved] == [(old, profile.photo.name)]
    assert is_random_name(profile.photo.name) and profile.photo.name.startswith("profiles/")
    assert profile.city == f"{member.pk}-20261203101500.jpg"  # the old last part, kept
    assert profile.photo.read() == b"jpeg bytes"
    assert not storage.exists(old)
    # idempotent: a second run moves nothing
    assert rename_stored_files(Profile, "photo", "profiles") == []
