from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kring.core.errors import DomainError, NotAllowed, NotFound
from kring.core.models import AuditEntry
from kring.gatherings.models import Gathering
from kring.knowledge import selectors, services
from kring.knowledge.models import Post

pytestmark = pytest.mark.django_db


def _post(actor: Any, network: Any, **kw: Any) -> Post:
    data = {"title": "Eerste klant", "body": "Wat we leerden", "visibility": "members"}
    data.update(kw)
    return services.create_post(actor=actor, network=network, **data)


def test_create_post_sets_tags_and_audits(network: Any, member: Any) -> None:
    post = _post(member, network, tags="Sales, sales, Starters!")
    assert sorted(t.name for t in post.tags.all()) == ["sales", "starters"]
    assert AuditEntry.objects.filter(verb="post.created", object_id=str(post.pk)).exists()


def test_refusals(network: Any, member: Any, outsider: Any, other_member: Any) -> None:
    with pytest.raises(NotFound):
        _post(outsider, network)
    with pytest.raises(NotFound):
        _post(other_member, network)
    with pytest.raises(DomainError) as exc:
        _post(member, network, title="  ")
    assert exc.value.field == "title"
    with pytest.raises(DomainError):
        _post(member, network, visibility="everyone")
    with pytest.raises(DomainError):
        _post(member, network, tags=",".join(f"t{i}" for i in range(20)))
    assert Post.objects.count() == 0


def test_edit_only_author_or_host(network: Any, member: Any, host: Any) -> None:
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.tests.factories import UserFactory

    other = UserFactory()
    MembershipFactory(network=network, user=other)
    post = _post(member, network)
    with pytest.raises(NotAllowed):
        services.update_post(actor=other, post=post, title="x", body="y")
    services.update_post(actor=host, post=post, title="Nieuw", body="y", visibility="public")
    post.refresh_from_db()
    assert post.title == "Nieuw" and post.is_public


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>hello",
        '<img src="x.png" onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    ],
)
def test_markdown_is_sanitised(network: Any, member: Any, evil: str) -> None:
    html = str(_post(member, network, body=evil).html).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html


def _png(size: tuple[int, int] = (40, 30), fmt: str = "PNG", mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, "red").save(buf, format=fmt)
    return buf.getvalue()


def test_image_upload_reencodes(network: Any, member: Any) -> None:
    img = services.upload_image(
        actor=member,
        network=network,
        upload=SimpleUploadedFile("a.png", _png((3000, 1500)), "image/png"),
    )
    assert img.width == 1600 and img.height == 800
    assert img.image.name.endswith(".jpg")  # no alpha: re-encoded as JPEG, metadata dropped
    with Image.open(img.image.path) as again:
        assert again.format == "JPEG"


def test_image_upload_refuses_non_images_and_big_files(network: Any, member: Any) -> None:
    with pytest.raises(DomainError):
        services.upload_image(
            actor=member,
            network=network,
            upload=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"),
        )
    with pytest.raises(DomainError):
        services.upload_image(
            actor=member, network=network, upload=SimpleUploadedFile("x.bmp", _png(fmt="BMP"))
        )
    big = SimpleUploadedFile("big.png", b"0" * (services.MAX_IMAGE_BYTES + 10))
    with pytest.raises(DomainError):
        services.upload_image(actor=member, network=network, upload=big)


def test_search_ranks_title_hits_first_and_finds_people(network: Any, member: Any) -> None:
    _post(member, network, title="Over boekhouding", body="kort")
    _post(member, network, title="Iets anders", body="ook over boekhouding")
    _post(member, network, title="Niets", body="niets")
    found = selectors.search_posts(network, "boekhouding")
    assert [p.title for p in found] == ["Over boekhouding", "Iets anders"]
    assert selectors.search_posts(network, "boekhouding over")[0].title == "Over boekhouding"
    member.profile.talents = "Boekhouding en belasting"
    member.profile.save()
    people = selectors.search_people(network, "boekhouding")
    assert [m.user_id for m in people] == [member.pk]


def test_search_stays_in_network(
    network: Any, member: Any, other_network: Any, other_member: Any
) -> None:
    _post(other_member, other_network, title="boekhouding elders")
    assert selectors.search_posts(network, "boekhouding") == []


# --- views -------------------------------------------------------------------------------


def test_views_permissions(
    client: Any, network: Any, member: Any, outsider: Any, other_member: Any
) -> None:
    post = _post(member, network)
    urls = [
        "/n/testnet/knowledge/",
        f"/n/testnet/knowledge/{post.pk}/",
        "/n/testnet/knowledge/new/",
        "/n/testnet/knowledge/search/?q=x",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → log-in
    for user in (outsider, other_member):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_member_cannot_edit_others_post(client: Any, network: Any, member: Any, host: Any) -> None:
    post = _post(host, network)
    client.force_login(member)
    assert client.get(f"/n/testnet/knowledge/{post.pk}/edit/").status_code == 403
    assert client.post(f"/n/testnet/knowledge/{post.pk}/delete/").status_code == 302
    assert Post.objects.filter(pk=post.pk).exists()


def test_write_and_comment_flow(client: Any, network: Any, member: Any) -> None:
    client.force_login(member)
    r = client.post(
        "/n/testnet/knowledge/new/",
        {
            "title": "Pitchen",
            "body": "Begin met je klant.",
            "visibility": "public",
            "tags": "pitch",
        },
    )
    post = Post.objects.get(title="Pitchen")
    assert r.status_code == 302 and r["Location"].endswith(f"/knowledge/{post.pk}/")
    r = client.post(f"/n/testnet/knowledge/{post.pk}/comments/", {"body": "Mooi!"})
    assert r.status_code == 302 and post.comments.get().body == "Mooi!"
    page = client.get(f"/n/testnet/knowledge/{post.pk}/").content.decode()
    assert "Mooi!" in page and "linkedin.com/sharing" in page


@pytest.mark.usefixtures("render_every_request")
def test_list_query_count(
    client: Any, network: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        _post(member, network, title=f"Post {i}", tags=f"tag{i % 3}")
    client.force_login(member)
    with django_assert_max_num_queries(22):
        r = client.get("/n/testnet/knowledge/")
    assert r.status_code == 200 and r.content.decode().count("post-item") == 15


# --- API ---------------------------------------------------------------------------------


def test_api(api_client: Any, network: Any, member: Any, outsider: Any, other_member: Any) -> None:
    c = api_client(member)
    r = c.post(
        "/api/v1/networks/testnet/posts",
        json.dumps({"title": "Via API", "body": "<script>x</script>**vet**", "tags": ["api"]}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert "<script" not in r.json()["html"] and "<strong>vet</strong>" in r.json()["html"]
    assert [p["id"] for p in c.get("/api/v1/networks/testnet/posts").json()] == [pid]
    assert c.get(f"/api/v1/posts/{pid}").json()["tags"] == ["api"]
    r = c.post(
        f"/api/v1/posts/{pid}/comments",
        json.dumps({"body": "Top"}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["body"] == "Top"
    r = c.post(
        f"/api/v1/posts/{pid}/comments", json.dumps({"body": " "}), content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert api_client().get("/api/v1/networks/testnet/posts").status_code == 401
    for user in (outsider, other_member):
        cc = api_client(user)
        assert cc.get("/api/v1/networks/testnet/posts").status_code == 404
        assert cc.get(f"/api/v1/posts/{pid}").status_code == 404
        assert (
            cc.post(
                f"/api/v1/posts/{pid}/comments",
                json.dumps({"body": "x"}),
                content_type="application/json",
            ).status_code
            == 404
        )


def test_detail_loads_the_share_styles(client: Any, network: Any, member: Any) -> None:
    """The share box comes from the public app; its styles live in the one stylesheet."""
    post = _post(member, network, visibility="public")
    client.force_login(member)
    page = client.get(f"/n/{network.slug}/knowledge/{post.pk}/").content.decode()
    assert 'class="share-links"' in page and "kring/kring.css" in page


def test_a_post_links_only_to_its_own_networks_gathering(
    network: Any, member: Any, other_network: Any
) -> None:
    """``gathering_ref`` is a plain id (decision 0008): another network's gathering is refused
    like a missing one, and this network's is kept."""
    start = timezone.now() + timedelta(days=3)
    theirs = Gathering.objects.create(
        network=other_network, title="Elders", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    ours = Gathering.objects.create(
        network=network, title="Hier", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    with pytest.raises(DomainError):
        _post(member, network, gathering_ref=theirs.pk)
    assert _post(member, network, gathering_ref=ours.pk).gathering_ref == ours.pk
