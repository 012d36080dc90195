"""Issue #15: walk every file under the media root after the demo (plus one upload of every
kind), and check that anonymous visitors and members of another network can fetch none of
them — except the images that are public on purpose (an image a public post shows).

Every file field of every model must be listed in ``ROUTES`` with the URLs that serve it:
a new upload kind fails this test until it is served by a permission-checking view.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kring.core.files import is_random_name

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _photo_urls(profile: Any) -> list[str]:
    slugs = profile.user.memberships.values_list("network__slug", flat=True)
    return [reverse("net:photo", args=[s, profile.user_id]) for s in slugs] + [
        reverse("people:my_photo")
    ]


def _agenda_urls(item: Any) -> list[str]:
    g = item.gathering
    return [reverse("gatherings:agenda_file", args=[g.network.slug, g.pk, item.pk])]


def _receipt_urls(expense: Any) -> list[str]:
    return [reverse("ledger:receipt", args=[expense.network.slug, expense.pk])]


def _image_urls(image: Any) -> list[str]:
    return [image.url]


def _image_is_public(image: Any) -> bool:
    from kring.knowledge.models import Post

    return (
        Post.objects.public().filter(network=image.network, body__contains=image.file_key).exists()
    )


def _cover_urls(obj: Any) -> list[str]:
    return [source.url for source in obj.cover_sources()]


def _cover_is_public(obj: Any) -> bool:
    return bool(obj.cover_is_public)


_COVER = (_cover_urls, _cover_is_public)

# "app.Model.field" -> (the URLs that serve the file, whether it is public on purpose)
ROUTES: dict[str, tuple[Callable[[Any], list[str]], Callable[[Any], bool]]] = {
    "people.Profile.photo": (_photo_urls, lambda _p: False),
    "gatherings.AgendaItem.prep_file": (_agenda_urls, lambda _i: False),
    "ledger.Expense.receipt": (_receipt_urls, lambda _e: False),
    "knowledge.PostImage.image": (_image_urls, _image_is_public),
    # Covers: the network's with its public page, an open gathering's; the demo has a
    # members-only gathering's cover too.
    "networks.Network.cover_small": _COVER,
    "networks.Network.cover_medium": _COVER,
    "networks.Network.cover_large": _COVER,
    "gatherings.Gathering.cover_small": _COVER,
    "gatherings.Gathering.cover_medium": _COVER,
    "gatherings.Gathering.cover_large": _COVER,
}


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(out, format="PNG")
    return out.getvalue()


def _upload_one_of_each(network: Any, host: Any, member: Any) -> dict[str, str]:
    """One file of every kind on top of the demo; returns export name -> download URL."""
    from kring.gatherings.services import add_agenda_item, create_gathering
    from kring.knowledge.services import create_post, upload_image
    from kring.ledger.services import record_expense
    from kring.people.services import update_profile
    from kring.privacy import services as privacy

    update_profile(
        actor=member,
        profile=member.profile,
        data={},
        photo=SimpleUploadedFile("me.png", _png("red"), "image/png"),
    )
    start = timezone.now() + timedelta(days=20)
    gathering = create_gathering(
        actor=host,
        network=network,
        title="Files",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    add_agenda_item(
        actor=host,
        gathering=gathering,
        title="Budget",
        prep_file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 budget", "application/pdf"),
    )
    record_expense(
        actor=host,
        network=network,
        payer_id=host.pk,
        amount_cents=1234,
        spent_on=date.today() - timedelta(days=1),
        description="Koffie",
        category="venue",
        split_method="equal",
        member_ids=[host.pk, member.pk],
        receipt=SimpleUploadedFile("bon.png", _png("blue"), "image/png"),
    )
    for visibility, colour in (("public", "green"), ("members", "yellow")):
        image = upload_image(
            actor=member,
            network=network,
            upload=SimpleUploadedFile("i.png", _png(colour), "image/png"),
        )
        create_post(
            actor=member,
            network=network,
            title=f"Met beeld ({visibility})",
            body=f"![beeld]({image.url})",
            visibility=visibility,
        )
    token = privacy.store_export(user=member)
    return {
        privacy.open_export(token=token, user=member): reverse("privacy:download", args=[token])
    }


def _owners() -> dict[str, tuple[str, Any]]:
    """Stored name -> ("app.Model.field", row) for every file field of every model."""
    owners: dict[str, tuple[str, Any]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            label = f"{model._meta.label}.{field.name}"
            assert label in ROUTES, f"{label} is a file field without a route in ROUTES"
            for row in model._default_manager.exclude(**{field.name: ""}):
                owners[getattr(row, field.name).name] = (label, row)
    return owners


def test_no_file_under_the_media_root_leaks(settings: Any) -> None:
    from kring.networks.models import Network
    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.models import User
    from kring.people.tests.factories import UserFactory
    from kring.site.demo import DEMO_SLUG, seed_all

    seed_all(log=lambda *_: None)
    network = Network.objects.get(slug=DEMO_SLUG)
    host = User.objects.get(email="host@example.org")
    member = User.objects.get(email="member@example.org")
    exports = _upload_one_of_each(network, host, member)

    stranger = UserFactory(email="stranger@test.example")
    MembershipFactory(network=NetworkFactory(slug="elsewhere"), user=stranger)
    visitors = {"anonymous": Client(), "other network": Client()}
    visitors["other network"].force_login(stranger)

    owners = _owners()
    root = Path(settings.MEDIA_ROOT)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    kinds: set[str] = set()
    public_seen = 0
    for name in files:
        assert is_random_name(name), f"{name} is not stored under a random name"
        if name in exports:
            label, urls, public = "export", [exports[name]], False
        else:
            assert name in owners, f"{name} belongs to no row: an orphan nobody can clean up"
            label, row = owners[name]
            url_fn, is_public = ROUTES[label]
            urls, public = url_fn(row), is_public(row)
        kinds.add(label)
        data = (root / name).read_bytes()
        for who, client in visitors.items():
            media = client.get(f"/media/{name}")
            assert media.status_code == 404, f"/media/{name} answers {who}"
            for url in urls:
                response = client.get(url)
                if public and response.status_code == 200:
                    public_seen += 1
                    continue
                assert response.status_code in {302, 404}, f"{label} {url} answers {who}"
                if response.status_code == 302:
                    assert "/accounts/login/" in response["Location"]
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                assert data not in body or not data
    assert kinds >= {*ROUTES, "export"}, f"the walk saw only {sorted(kinds)}"
    assert public_seen >= 2  # the public post's image, for both visitors
