"""Read every page of the demo, in Dutch and English, as text: for reviewing the words.

    KRING_DATA_DIR=var uv run kring demo --no-serve          # once: seed the demo
    KRING_DATA_DIR=var uv run python tools/read_pages.py          # writes var/pages/

Follows links from the main pages as an anonymous visitor, the demo member and the demo host
(``tests/pagewalk.py``) and writes ``<who>-<language>.txt`` with the text of each page, its
select options and placeholders. Pages that answer 500 are listed at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START = [
    "/",
    "/start/",
    "/n/anno-nu/",
    "/n/anno-nu/home/",
    "/n/anno-nu/more/",
    "/n/anno-nu/manage/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/profile/",
    "/notifications/",
    "/privacy/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "pages"))
    parser.add_argument("--languages", default="nl,en")
    parser.add_argument("--who", default="anon,member,host")
    parser.add_argument("--per-view", type=int, default=1)
    parser.add_argument("--main-only", action="store_true", help="leave out the app shell")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.test import Client

    from kring.people.models import User
    from tests.pagewalk import walk

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    errors = []
    for who in args.who.split(","):
        for language in args.languages.split(","):
            client = Client(raise_request_exception=False)
            if who != "anon":
                client.force_login(User.objects.get(email=f"{who}@example.org"))
            lines = []
            pages = walk(
                client,
                START,
                per_view=args.per_view,
                language=language,
                main_only=args.main_only,
            )
            for page in pages:
                lines.append(f"\n===== {page.path}  [{page.view}] {page.status}\n")
                lines.append(page.text)
                if page.options:
                    shown = " | ".join(page.options[:15])
                    more = f" (+{len(page.options) - 15})" if len(page.options) > 15 else ""
                    lines.append(f"\n-- options: {shown}{more}")
                if page.status >= 500:
                    errors.append(f"{who} {language} {page.path} {page.status}")
            target = out / f"{who}-{language}.txt"
            target.write_text("\n".join(lines), encoding="utf-8")
            print(target, len([x for x in lines if x.startswith("\n=====")]), "pages")
    for error in errors:
        print("ERROR", error)


if __name__ == "__main__":
    main()
