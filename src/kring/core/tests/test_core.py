from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kring.core.markdown import render_markdown
from kring.core.templatetags.kring import format_cents


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>hi", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[klik](javascript:alert(1))", "javascript:"),
        ('<a href="https://x.nl" onclick="steal()">x</a>', "onclick"),
        ("<iframe src='https://evil'></iframe>", "<iframe"),
    ],
)
def test_markdown_is_sanitised(text: str, forbidden: str) -> None:
    assert forbidden not in render_markdown(text)


def test_markdown_keeps_formatting_and_safe_links() -> None:
    html = render_markdown("**vet** en [Kring](https://kring.example)")
    assert "<strong>vet</strong>" in html
    assert 'href="https://kring.example"' in html and "noopener" in html


def test_cents_are_formatted_per_language() -> None:
    assert format_cents(123456, "nl") == "€ 1.234,56"
    assert format_cents(-5, "nl") == "-€ 0,05"
    assert format_cents(123456, "en") == "€1,234.56"
    with translation.override("nl"):
        assert format_cents(100) == "€ 1,00"


@pytest.mark.django_db
def test_landing_page_lists_public_networks_only(
    client: Any, network: Any, other_network: Any
) -> None:
    other_network.public_page_enabled = True
    other_network.save()
    body = client.get("/").content.decode()
    assert "Other network" in body and "Test network" not in body


@pytest.mark.django_db
def test_security_headers_and_csp(client: Any) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    for part in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
        assert part in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_friendly_404_and_healthz(client: Any, member: Any) -> None:
    client.force_login(member)
    response = client.get("/n/does-not-exist/home/")
    assert response.status_code == 404
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_language_switch(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"}, follow=True)
    assert 'lang="nl"' in response.content.decode()


def test_markdown_converter_reused_and_remembered_gives_fresh_results() -> None:
    """One Markdown converter per thread, reset between texts, and remembered results: the
    HTML is what a fresh converter makes, and nothing of one text (footnotes, abbreviations)
    reaches the next."""
    import markdown as md
    import nh3

    from kring.core import markdown as km

    texts = [
        "Tekst met een voetnoot.[^1]\n\n[^1]: Alleen hier.",
        "*[HTML]: HyperText\n\nHTML hier.",
        "Geen voetnoot, geen afkorting: HTML.",
        "<script>alert(1)</script> [link](javascript:alert(1)) **vet**",
    ]
    for text in texts * 2:
        fresh = nh3.clean(
            md.markdown(text, extensions=["extra", "sane_lists"], output_format="html"),
            tags=km.ALLOWED_TAGS,
            attributes=km.ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
        assert km.render_markdown(text) == fresh
    assert "Alleen hier" not in km.render_markdown(texts[2])
    assert "<abbr" not in km.render_markdown(texts[2])
