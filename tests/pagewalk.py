"""Walk the pages a person can reach by following links, with Django's test client.

Used by ``tools/read_pages.py`` (read every page of the demo, in Dutch and English) and by
``tests/test_words.py`` (no banned words on the Dutch pages). Starts from a few pages, follows
every ``<a href>`` inside the site, and keeps the text of each HTML page. Links are only
followed with GET, which changes nothing in Kring (one-click links show a button to POST).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Never followed: files, feeds, machine answers and the few GETs that end a session.
SKIP = re.compile(
    r"^/(static|api|admin|\.well-known)/|/logout/|/photo/|/receipt|/file/|/files/|\.(ics|xml|"
    r"json|csv|pdf|png|jpg|svg|webp|txt)$|/feed|/calendar\.|/embed|/inbox|/outbox|/actor|"
    r"/followers/(?!$)|/images/"
)
HIDDEN_TAGS = {"script", "style", "template", "svg", "head"}


@dataclass
class Page:
    path: str
    view: str
    status: int
    text: str = ""
    options: list[str] = field(default_factory=list)  # the text of every <option>


class _Reader(HTMLParser):
    def __init__(self, *, main_only: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.options: list[str] = []
        self.chunks: list[str] = []
        self._hidden = 0
        self._main = not main_only
        self._option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "main":
            self._main = True
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "option":
            self._option = []
        elif tag in {"input", "textarea"} and a.get("placeholder"):
            self.chunks.append(f"[placeholder: {a['placeholder']}]")
        elif tag in {"p", "li", "h1", "h2", "h3", "tr", "div", "br", "label", "button"}:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._main = False
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1
        elif tag == "option" and self._option is not None:
            self.options.append(" ".join("".join(self._option).split()))
            self._option = None

    def handle_data(self, data: str) -> None:
        if self._hidden or not self._main:
            return
        if self._option is not None:
            self._option.append(data)  # listed in ``options``, not in the text
            return
        self.chunks.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.chunks).splitlines())
        return "\n".join(line for line in lines if line)


def _view_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


def walk(
    client: Client,
    start: Iterable[str],
    *,
    per_view: int = 2,
    limit: int = 400,
    language: str = "nl",
    main_only: bool = False,
) -> Iterator[Page]:
    """Breadth first from ``start``; at most ``per_view`` pages of one view (one gathering,
    one profile … stands for all of them) and ``limit`` pages in all; ``main_only`` keeps
    the text of ``<main>`` only (not the app shell around it)."""
    client.cookies["django_language"] = language
    queue = list(start)
    seen: set[str] = set()
    per: dict[str, int] = {}
    count = 0
    while queue and count < limit:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        view = _view_name(urlsplit(path).path)
        if not view:
            continue
        if per.get(view, 0) >= per_view:
            continue
        per[view] = per.get(view, 0) + 1
        response: Any = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        count += 1
        page = Page(path=path, view=view, status=response.status_code)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            reader = _Reader(main_only=main_only)
            reader.feed(response.content.decode("utf-8", "replace"))
            page.text = reader.text()
            page.options = reader.options
            for href in reader.links:
                url = urlsplit(urljoin(path, href))
                if url.scheme in {"", "http"} and url.netloc in {"", "testserver"}:
                    target = url.path + (f"?{url.query}" if url.query else "")
                    if target not in seen:
                        queue.append(target)
        yield page
