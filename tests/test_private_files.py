"""Issue #15, item 1: every private file only through a view that checks permission.

Each kind of upload is stored under a random 128-bit name (the original name is kept for
the download), is not reachable under /media/, and its view answers 404 to anonymous
visitors (or a login redirect) and to members of another network.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kring.core.files import is_random_name


def _png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(out, format="PNG")
    return out.getvalue()


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _not_served(status: int) -> bool:
    return status in {302, 404}  # a login redirect or "no such thing"


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_media_paths_are_not_served(client: Client, member: Any, settings: Any) -> None:
    from kring.people.services import update_profile

    update_profile(
        actor=member,
        profile=member.profile,
        data={},
        photo=SimpleUploadedFile("me.png", _png(), content_type="image/png"),
    )
    member.profile.refresh_from_db()
    name = member.profile.photo.name
    assert Path(settings.MEDIA_ROOT, name).exists()
    assert client.get(f"/media/{name}").status_code == 404


def test_profile_photo_follows_the_profile_rules(
    member: Any, host: Any, other_member: Any, outsider: Any, network: Any
) -> None:
    """Regression: photos were named by user id and time and served to anyone."""
    from kring.people.services import update_profile

    update_profile(
        actor=member,
        profile=member.profile,
        data={},
        photo=SimpleUploadedFile("me.png", _png(), content_type="image/png"),
    )
    member.profile.refresh_from_db()
    name = member.profile.photo.name
    assert is_random_name(name) and f"{member.pk}-" not in name
    url = reverse("net:photo", args=[network.slug, member.pk])
    ok = _client(host).get(url)
    assert ok.status_code == 200 and _body(ok)[:3] == b"\xff\xd8\xff"  # a re-encoded JPEG
    assert "no-store" in ok["Cache-Control"]
    assert _client(member).get(reverse("people:my_photo")).status_code == 200
    for who in [None, outsider, other_member]:
        assert _not_served(_client(who).get(url).status_code), who
    # the directory links to the view, not to a file path
    page = _client(host).get(reverse("net:directory", args=[network.slug])).content.decode()
    assert url in page and "/media/" not in page


@pytest.fixture
def published_item(host: Any, network: Any) -> Any:
    from kring.gatherings.services import add_agenda_item, create_gathering

    start = timezone.now() + timedelta(days=10)
    gathering = create_gathering(
        actor=host,
        network=network,
        title="Plan",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    item = add_agenda_item(
        actor=host,
        gathering=gathering,
        title="Budget",
        prep_file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 budget", content_type="application/pdf"),
    )
    return item


def test_agenda_files_get_random_names_and_keep_their_name_for_the_download(
    published_item: Any, host: Any, member: Any, other_member: Any, outsider: Any, network: Any
) -> None:
    """Regression: /media/gatherings/prep/2026/12/b.pdf was guessable and unguarded."""
    item = published_item
    assert is_random_name(item.prep_file.name)
    assert not item.prep_file.name.endswith("/b.pdf") and item.prep_file_name == "b.pdf"
    url = reverse("gatherings:agenda_file", args=[network.slug, item.gathering_id, item.pk])
    response = _client(host).get(url)
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 budget"
    assert 'filename="b.pdf"' in response["Content-Disposition"]
    # not published yet: members wait, like for the agenda itself
    assert _client(member).get(url).status_code == 404
    for who in [None, outsider, other_member]:
        assert _not_served(_client(who).get(url).status_code)


def test_receipts_keep_their_original_name(
    host: Any, member: Any, other_member: Any, network: Any
) -> None:
    from kring.ledger.services import record_expense

    expense = record_expense(
        actor=host,
        network=network,
        payer_id=host.pk,
        amount_cents=1200,
        spent_on=date(2026, 11, 1),
        description="Koffie",
        category="venue",
        split_method="equal",
        member_ids=[host.pk, member.pk],
        receipt=SimpleUploadedFile("bon 12-11.png", _png(), content_type="image/png"),
    )
    assert is_random_name(expense.receipt.name) and expense.receipt_name == "bon 12-11.png"
    url = reverse("ledger:receipt", args=[network.slug, expense.pk])
    response = _client(member).get(url)
    assert response.status_code == 200 and _body(response) == _png()
    assert "bon 12-11.png" in response["Content-Disposition"]
    assert _not_served(_client(other_member).get(url).status_code)
    assert _not_served(_client().get(url).status_code)


def test_a_post_image_is_public_only_when_a_public_post_shows_it(
    member: Any, other_member: Any, network: Any
) -> None:
    from kring.knowledge.services import create_post, upload_image

    image = upload_image(
        actor=member, network=network, upload=SimpleUploadedFile("x.png", _png(), "image/png")
    )
    assert is_random_name(image.image.name)
    url = image.url
    assert _client(member).get(url).status_code == 200
    for who in [None, other_member]:
        assert _client(who).get(url).status_code == 404
    create_post(
        actor=member, network=network, title="Intern", body=f"![x]({url})", visibility="members"
    )
    assert _client().get(url).status_code == 404
    create_post(
        actor=member, network=network, title="Open", body=f"![x]({url})", visibility="public"
    )
    response = _client().get(url)
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    # another network's slug does not reach it
    other_url = url.replace(f"/n/{network.slug}/", "/n/othernet/")
    assert _client(other_member).get(other_url).status_code == 404


def test_exports_are_private_expire_after_48_hours_and_go_with_the_account(
    member: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """Regression: the ZIP was public under /media/exports/ and outlived the account."""
    from kring.privacy import services

    token = services.store_export(user=member)
    name = services.open_export(token=token, user=member)
    assert is_random_name(name) and default_storage.exists(name)
    assert client.get(f"/media/{name}").status_code == 404
    url = reverse("privacy:download", args=[token])
    assert _not_served(client.get(url).status_code)
    client.force_login(member)
    assert client.get(url).status_code == 200

    # 48 hours: the link stops working and the retention tick deletes the file
    later = timezone.now() + timedelta(hours=49)
    with time_machine.travel(later), pytest.raises(services.DomainError):
        services.open_export(token=token, user=member)
    assert services.purge_old_exports(later) == 1
    assert not default_storage.exists(name)

    # erasing the account deletes its exports at once
    services.store_export(user=member)
    assert services.delete_exports(user=member) == 1
    services.store_export(user=member)
    with_exports = services._export_files(f"exports/{member.pk}")
    assert with_exports
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_account(user=member)
    assert all(not default_storage.exists(p) for p in with_exports)


def test_the_image_migration_moves_files_and_rewrites_posts(
    member: Any, network: Any, settings: Any
) -> None:
    """Upgrading: post images under /media/knowledge/<year>/<month>/ get random names, and
    the posts that show them get the new address."""
    import importlib

    from django.apps import apps

    from kring.knowledge.models import Post, PostImage

    old = "knowledge/2026/12/abc.png"
    default_storage.save(old, io.BytesIO(_png()))
    image = PostImage.objects.create(network=network, uploader=member, width=40, height=40)
    PostImage.objects.filter(pk=image.pk).update(image=old)
    post = Post.objects.create(
        network=network, author=member, title="Oud", body=f"Kijk: ![x](/media/{old})"
    )
    migration = importlib.import_module("kring.knowledge.migrations.0002_images_random_names")
    migration.move_images(apps, None)

    image.refresh_from_db()
    post.refresh_from_db()
    assert is_random_name(image.image.name) and not default_storage.exists(old)
    assert f"![x]({image.url})" in post.body and "/media/" not in post.body
    assert _client(member).get(image.url).status_code == 200
