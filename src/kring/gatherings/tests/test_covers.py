"""A gathering's cover: the host sets it on the edit page; members-only gatherings' covers
are for members, open gatherings' covers for anyone; lists, the public page and the API."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kring.gatherings.models import Gathering
from kring.gatherings.services import remove_gathering_cover, set_gathering_cover
from kring.networks.models import Network

pytestmark = pytest.mark.django_db


def jpeg(size: tuple[int, int] = (1800, 900)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format="JPEG")
    return SimpleUploadedFile("party.jpg", out.getvalue(), "image/jpeg")


def logged_in(user: Any) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_the_host_sets_and_removes_a_cover_on_the_edit_page(
    gathering: Gathering, host: Any
) -> None:
    client = logged_in(host)
    url = reverse("gatherings:cover_edit", args=[gathering.network.slug, gathering.pk])
    response = client.post(url, {"cover": jpeg()})
    assert response.status_code == 302
    gathering.refresh_from_db()
    assert [w for w, _f in gathering.cover_files()] == [480, 960, 1600]
    edit = client.get(reverse("gatherings:edit", args=[gathering.network.slug, gathering.pk]))
    assert "Replace the cover" in edit.content.decode()
    assert client.post(url, {"remove": "1"}).status_code == 302
    gathering.refresh_from_db()
    assert not gathering.has_cover


def test_a_non_image_is_a_form_error(gathering: Gathering, host: Any) -> None:
    url = reverse("gatherings:cover_edit", args=[gathering.network.slug, gathering.pk])
    bad = SimpleUploadedFile("cover.png", b"%PDF-1.4 not a picture", "image/png")
    response = logged_in(host).post(url, {"cover": bad})
    assert response.status_code == 400
    assert "This file is not an image we can read." in response.content.decode()
    gathering.refresh_from_db()
    assert not gathering.has_cover


def test_members_cannot_set_a_cover(gathering: Gathering, member: Any, other_member: Any) -> None:
    url = reverse("gatherings:cover_edit", args=[gathering.network.slug, gathering.pk])
    assert logged_in(member).post(url, {"cover": jpeg()}).status_code == 403
    assert logged_in(other_member).post(url, {"cover": jpeg()}).status_code == 404


def test_a_members_only_gathering_cover_is_404_for_visitors(
    gathering: Gathering, host: Any, member: Any, outsider: Any, other_member: Any
) -> None:
    Network.objects.filter(pk=gathering.network_id).update(public_page_enabled=True)
    g = set_gathering_cover(actor=host, gathering=gathering, upload=jpeg())
    assert not g.cover_is_public
    for source in g.cover_sources():
        assert Client().get(source.url).status_code == 404
        assert logged_in(outsider).get(source.url).status_code == 404
        assert logged_in(other_member).get(source.url).status_code == 404
        response = logged_in(member).get(source.url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_an_open_gatherings_cover_is_public_while_the_network_publishes(
    gathering: Gathering, host: Any
) -> None:
    Gathering.objects.filter(pk=gathering.pk).update(open_to_guests=True)
    Network.objects.filter(pk=gathering.network_id).update(guests_without_public_page=False)
    gathering.refresh_from_db()
    g = set_gathering_cover(actor=host, gathering=gathering, upload=jpeg())
    url = g.cover_sources()[0].url
    assert Client().get(url).status_code == 404  # the network publishes nothing yet
    Network.objects.filter(pk=g.network_id).update(public_page_enabled=True)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")


def test_lists_and_pages_show_the_cover_lazily_with_its_size(
    gathering: Gathering, host: Any, member: Any
) -> None:
    g = set_gathering_cover(actor=host, gathering=gathering, upload=jpeg())
    client = logged_in(member)
    listing = client.get(reverse("gatherings:list", args=[g.network.slug])).content.decode()
    card = listing.split('class="card-media"', 1)[1].split("</div>", 1)[0]
    assert 'loading="lazy"' in card and 'width="1600" height="800"' in card
    assert all(s.url in card for s in g.cover_sources())
    detail = client.get(reverse("gatherings:detail", args=[g.network.slug, g.pk])).content.decode()
    assert 'fetchpriority="high"' in detail  # the top of the page: not lazy


def test_the_list_stays_at_a_constant_query_count(
    gathering: Gathering, host: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    set_gathering_cover(actor=host, gathering=gathering, upload=jpeg())
    client = logged_in(member)
    url = reverse("gatherings:list", args=[gathering.network.slug])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_changed_cover_of_an_open_gathering_renews_the_public_page(
    gathering: Gathering, host: Any, frozen: Any
) -> None:
    Gathering.objects.filter(pk=gathering.pk).update(open_to_guests=True)
    # (the network was made before the clock was frozen, in its future: bring it back)
    Network.objects.filter(pk=gathering.network_id).update(
        public_page_enabled=True, updated_at=timezone.now()
    )
    gathering.refresh_from_db()
    client = Client(headers={"Accept-Language": "en"})
    url = reverse("public:network", args=[gathering.network.slug])
    first = client.get(url)
    frozen.shift(10)  # well inside the page's 120 s bucket: the change stamp must do it
    g = set_gathering_cover(actor=host, gathering=gathering, upload=jpeg())
    second = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert g.cover_sources()[0].url in second.content.decode()
    frozen.shift(10)
    remove_gathering_cover(actor=host, gathering=g)
    third = client.get(url, headers={"If-None-Match": second["ETag"]})
    assert third.status_code == 200


def test_the_api_adds_the_cover(gathering: Gathering, host: Any, api_client: Any) -> None:
    client = api_client(host)
    data = client.get(f"/api/v1/gatherings/{gathering.pk}").json()
    assert data["cover"] is None and data["title"] == "Monthly gathering"
    set_gathering_cover(actor=host, gathering=gathering, upload=jpeg((1000, 600)))
    data = client.get(f"/api/v1/gatherings/{gathering.pk}").json()
    assert data["cover"]["width"] == 960 and data["cover"]["height"] == 480
    assert sorted(data["cover"]["urls"]) == ["480", "960"]
    assert data["cover"]["urls"]["480"].startswith("http")
