from __future__ import annotations

import functools
from typing import Any

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kring.core.formats import named_format
from kring.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


def format_cents(cents: int | None, language: str | None = None) -> str:
    """Integer cents as euros, Dutch style (€ 1.234,56) or English style (€1,234.56)."""
    if cents is None:
        return ""
    language = language or get_language() or "nl"
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}"
    if language.startswith("nl"):
        return f"{sign}€ {grouped.replace(',', '.')},{rest:02d}"
    return f"{sign}€{grouped}.{rest:02d}"


@register.filter(name="blank_choice")
def blank_choice_filter(label: Any) -> bool:
    """Django's placeholder for an empty choice: "---------" on form fields, "- Select an
    option -" on model fields with choices (Django 6). Kring shows "Choose…" for both."""
    from django.db.models.fields import BLANK_CHOICE_LABEL

    return str(label) in {"---------", str(BLANK_CHOICE_LABEL)}


@register.filter(name="short_month")
def short_month_filter(value: Any) -> str:
    """The month, abbreviated: "mrt." in Dutch, "Mar" in English (``date:"M"`` would
    capitalise the Dutch month)."""
    return date_format(value, named_format("SHORT_MONTH_FORMAT")) if value else ""


@register.filter(name="cents")
def cents_filter(value: int | None) -> str:
    return format_cents(value)


@register.simple_tag(takes_context=True)
def active(context: template.Context, prefix: str) -> str:
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return 'aria-current="page"'
    return ""


@register.simple_tag
def icon(name: str, css: str = "", label: str = "") -> SafeString:
    """An icon from the vendored Lucide sprite: ``{% icon "house" %}``.

    Decorative by default (``aria-hidden``); with ``label`` it is announced as an image.
    """
    if not label:  # the same few dozen decorative icons on every page: built once
        return _decorative_icon(str(name), str(css))
    return _icon(name, css, label)


@functools.lru_cache(maxsize=1024)
def _decorative_icon(name: str, css: str) -> SafeString:
    return _icon(name, css, "")


def _icon(name: str, css: str, label: str) -> SafeString:
    sprite = static("kring/icons.svg")
    a11y = format_html('role="img" aria-label="{}"', label) if label else 'aria-hidden="true"'
    return format_html(
        '<svg class="icon{}" {} focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "",
        mark_safe(a11y),
        sprite,
        name,
    )


def _photo_url(context: template.Context, profile: Any) -> str:
    """Photos are private files served by permission-checked views (``kring.core.files``):
    your own through ``people:my_photo``, a fellow member's through ``net:photo``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.pk == profile.user_id:
        return reverse("people:my_photo")
    network = context.get("network") or context.get("current_network")
    if network is None:
        return ""
    return reverse("net:photo", kwargs={"slug": network.slug, "user_id": profile.user_id})


AVATAR_PX = {"sm": 32, "": 40, "md": 48, "large": 96}


def _profile_of(person: Any) -> Any:
    """A Profile from a Profile, a User or a Membership (anything with ``.profile``)."""
    if person is None:
        return None
    if hasattr(person, "initials"):
        return person
    if hasattr(person, "user") and not hasattr(person, "profile"):
        person = person.user
    return getattr(person, "profile", None)


def initials_of(name: str) -> str:
    parts = [p for p in (name or "").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


@register.simple_tag(takes_context=True)
def avatar(context: template.Context, person: Any, size: str = "", name: str = "") -> SafeString:
    """A person's photo, or their initials on a tinted disc: ``{% avatar m.user "sm" %}``.

    Decorative: the name is always written next to it, so it is hidden from screen readers.
    """
    profile = _profile_of(person)
    css = f"avatar {size}".strip()
    px = AVATAR_PX.get(size, 40)
    if profile is None:  # a guest without an account: initials of the name given
        return format_html('<span class="{}" aria-hidden="true">{}</span>', css, initials_of(name))
    photo_url = _photo_url(context, profile) if getattr(profile, "photo", None) else ""
    if photo_url:
        return format_html(
            '<img class="{}" src="{}" alt="" width="{}" height="{}" loading="lazy">',
            css,
            photo_url,
            px,
            px,
        )
    tone = (getattr(profile, "pk", 0) or 0) % 4
    if tone:
        css = f"{css} tone-{tone}"
    return format_html('<span class="{}" aria-hidden="true">{}</span>', css, profile.initials)


@register.simple_tag
def cover_img(
    obj: Any, sizes: str = "100vw", eager: bool = False, css: str = "", alt: str = ""
) -> SafeString:
    """A cover (``kring.core.covers``) as a responsive ``<img>``: every width in ``srcset``,
    width and height set (no layout shift), lazy unless ``eager`` (above the fold).
    Decorative by default (``alt=""``): the title is always beside it."""
    sources = obj.cover_sources() if obj is not None and getattr(obj, "has_cover", False) else []
    if not sources:
        return mark_safe("")
    largest = sources[-1]
    default = sources[1] if len(sources) > 1 else sources[0]
    srcset = ", ".join(f"{s.url} {s.width}w" for s in sources)
    loading = mark_safe(' fetchpriority="high"') if eager else mark_safe(' loading="lazy"')
    return format_html(
        '<img class="cover{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        '{} decoding="async">',
        f" {css}" if css else "",
        default.url,
        srcset,
        sizes,
        largest.width,
        largest.height,
        alt,
        loading,
    )
