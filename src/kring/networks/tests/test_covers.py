"""A network's cover: hosts upload, replace and remove it; who sees it; the public page and
the API show it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from kring.core.models import AuditEntry
from kring.networks.models import Network
from kring.networks.services import remove_network_cover, set_network_cover

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def jpeg(size: tuple[int, int] = (2000, 1000), colour: str = "teal") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return SimpleUploadedFile("holiday.jpg", out.getvalue(), "image/jpeg")


def logged_in(user: Any) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def stored(network: Network) -> list[str]:
    return [f.name for _w, f in network.cover_files()]


def media(settings: Any, name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def test_a_host_uploads_a_cover_on_the_settings_page(
    network: Network, host: Any, settings: Any
) -> None:
    client = logged_in(host)
    response = client.post(reverse("net:cover_edit", args=[network.slug]), {"cover": jpeg()})
    assert response.status_code == 302
    network.refresh_from_db()
    names = stored(network)
    assert len(names) == 3 and all(n.startswith("covers/") for n in names)
    assert "holiday" not in "".join(names)  # random names, never the uploader's
    assert AuditEntry.objects.filter(verb="network.cover_set").exists()
    page = client.get(reverse("net:settings", args=[network.slug])).content.decode()
    assert 'srcset="' in page and " 480w, " in page and " 1600w" in page
    assert 'width="1600" height="800"' in page
    assert "Remove the cover" in page


def test_replacing_and_removing_delete_the_old_files(
    network: Network, host: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        set_network_cover(actor=host, network=network, upload=jpeg(colour="red"))
    network.refresh_from_db()
    first = stored(network)
    assert all(media(settings, n).exists() for n in first)
    client = logged_in(host)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("net:cover_edit", args=[network.slug]), {"cover": jpeg((1000, 500))})
    network.refresh_from_db()
    second = stored(network)
    assert len(second) == 2  # 1000 px wide: 480 and 960
    assert not any(media(settings, n).exists() for n in first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("net:cover_edit", args=[network.slug]), {"remove": "1"})
    assert response.status_code == 302
    network.refresh_from_db()
    assert not network.has_cover and stored(network) == []
    assert not any(media(settings, n).exists() for n in second)
    assert AuditEntry.objects.filter(verb="network.cover_removed").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cover.jpg", b"MZ\x90\x00 not an image", "image/jpeg"), "not an image"),
        (SimpleUploadedFile("small.jpg", jpeg((300, 150)).read(), "image/jpeg"), "too small"),
        ("truncated", "not an image"),
    ],
)
def test_bad_uploads_are_a_form_error_and_nothing_is_saved(
    network: Network, host: Any, settings: Any, upload: Any, message: str
) -> None:
    if upload == "truncated":
        data = jpeg().read()
        upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")
    response = logged_in(host).post(
        reverse("net:cover_edit", args=[network.slug]), {"cover": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    network.refresh_from_db()
    assert not network.has_cover
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_an_oversized_upload_is_refused_with_the_limit(
    network: Network, host: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024), "image/jpeg")
    response = logged_in(host).post(reverse("net:cover_edit", args=[network.slug]), {"cover": big})
    assert response.status_code == 400
    assert "at most 10 MB" in response.content.decode()
    network.refresh_from_db()
    assert not network.has_cover


def test_posting_nothing_asks_for_an_image(network: Network, host: Any) -> None:
    response = logged_in(host).post(reverse("net:cover_edit", args=[network.slug]), {})
    assert response.status_code == 400
    assert "Choose an image to upload." in response.content.decode()


def test_only_hosts_change_the_cover(
    network: Network, member: Any, outsider: Any, other_member: Any
) -> None:
    url = reverse("net:cover_edit", args=[network.slug])
    assert Client().post(url, {"cover": jpeg()}).status_code == 302  # to log in
    assert logged_in(member).post(url, {"cover": jpeg()}).status_code == 403
    assert logged_in(outsider).post(url, {"cover": jpeg()}).status_code == 404
    assert logged_in(other_member).post(url, {"cover": jpeg()}).status_code == 404
    network.refresh_from_db()
    assert not network.has_cover


def test_with_the_public_page_on_anyone_sees_the_cover(network: Network, host: Any) -> None:
    Network.objects.filter(pk=network.pk).update(public_page_enabled=True)
    network.refresh_from_db()
    network = set_network_cover(actor=host, network=network, upload=jpeg())
    for source in network.cover_sources():
        response = Client().get(source.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("public")


def test_without_a_public_page_only_members_see_the_cover(
    network: Network, host: Any, member: Any, other_member: Any
) -> None:
    network = set_network_cover(actor=host, network=network, upload=jpeg())
    url = network.cover_sources()[0].url
    assert Client().get(url).status_code == 404
    assert logged_in(other_member).get(url).status_code == 404
    response = logged_in(member).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_old_or_made_up_address_is_404(network: Network, host: Any, member: Any) -> None:
    network = set_network_cover(actor=host, network=network, upload=jpeg())
    old = network.cover_sources()[0].url
    remove_network_cover(actor=host, network=network)
    client = logged_in(member)
    assert client.get(old).status_code == 404
    assert client.get(reverse("net:cover", args=[network.slug, "secret.txt"])).status_code == 404
    assert client.get(reverse("net:cover", args=[network.slug, "0" * 32 + ".jpg"])).status_code == (
        404
    )


def test_the_public_page_shows_the_cover_and_previews_it(network: Network, host: Any) -> None:
    Network.objects.filter(pk=network.pk).update(public_page_enabled=True)
    network.refresh_from_db()
    client = Client(headers={"Accept-Language": "en"})
    url = reverse("public:network", args=[network.slug])
    before = client.get(url)
    assert 'property="og:image"' not in before.content.decode()
    assert 'content="summary"' in before.content.decode()
    network = set_network_cover(actor=host, network=network, upload=jpeg())
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200  # a new cover is a new page (the ETag changed)
    page = after.content.decode()
    large = network.cover_sources()[-1].url
    assert f'<meta property="og:image" content="http://testserver{large}">' in page
    assert '<meta property="og:image:width" content="1600">' in page
    assert 'content="summary_large_image"' in page
    assert f'<meta name="twitter:image" content="http://testserver{large}">' in page
    # above the fold: not lazy, and width/height reserve its place
    hero = page.split('<section class="hero"', 1)[1].split("</section>", 1)[0]
    assert 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    assert 'width="1600" height="800"' in hero


def test_the_api_adds_the_cover(
    network: Network, host: Any, api_client: Any, settings: Any
) -> None:
    client = api_client(host)
    data = client.get(f"/api/v1/networks/{network.slug}").json()
    assert data["cover"] is None
    assert data["name"] == network.name  # existing fields unchanged
    network = set_network_cover(actor=host, network=network, upload=jpeg((1000, 500)))
    data = client.get(f"/api/v1/networks/{network.slug}").json()
    sources = network.cover_sources()
    assert data["cover"] == {
        "width": 960,
        "height": 480,
        "urls": {str(s.width): f"{settings.SITE_URL}{s.url}" for s in sources},
    }
    listed = client.get("/api/v1/networks").json()
    assert listed[0]["cover"] == data["cover"]


def test_cover_changes_renew_the_page_cached_for_visitors(network: Any, host: Any) -> None:
    """The public page is cached whole for anonymous visitors (kring.public.cache): setting,
    replacing or removing a cover (the network's or an open gathering's) invalidates it."""
    from datetime import timedelta

    from django.utils import timezone

    from kring.gatherings.services import create_gathering, set_gathering_cover

    Network.objects.filter(pk=network.pk).update(public_page_enabled=True)
    network.refresh_from_db()
    start = timezone.now() + timedelta(days=5)
    gathering = create_gathering(
        actor=host,
        network=network,
        title="Open avond",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        open_to_guests=True,
    )
    page = reverse("public:network", args=[network.slug])
    visitor = Client(headers={"Accept-Language": "en"})
    assert "img" not in visitor.get(page).content.decode().split('class="hero"')[1][:200]
    network = set_network_cover(actor=host, network=network, upload=jpeg())
    assert network.cover_sources()[0].url in visitor.get(page).content.decode()
    gathering = set_gathering_cover(actor=host, gathering=gathering, upload=jpeg())
    assert gathering.cover_sources()[0].url in visitor.get(page).content.decode()
    remove_network_cover(actor=host, network=network)
    html = visitor.get(page).content.decode()
    assert network.cover_sources()[0].url not in html
    assert 'property="og:image"' not in html
