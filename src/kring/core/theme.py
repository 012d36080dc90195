"""The colour theme a person chose: "light", "dark" or "" (follow the device).

Kept in a cookie so the server renders ``<html data-theme>`` and no script runs before
the first paint. ``prefers-color-scheme`` applies when the choice is "" (see kring.css).
"""

from __future__ import annotations

from django.http import HttpRequest

COOKIE = "kring_theme"
THEMES = ("", "light", "dark")


def theme_for(request: HttpRequest) -> str:
    value = request.COOKIES.get(COOKIE, "")
    return value if value in THEMES else ""
