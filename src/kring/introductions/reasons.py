"""Render the engine's structured reasons (``Score.details``) in the reader's language.

Names in the details are user ids as text; the reader is addressed as "you" ("je").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _


def join_words(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return _("%(list)s and %(last)s") % {"list": ", ".join(words[:-1]), "last": words[-1]}


def render(details: Sequence[Any], *, names: Mapping[int, str], viewer_id: int | None) -> list[str]:
    """Sentences for one pair's details (a list of ["offers", giver, taker, tags] etc.)."""

    def who(key: Any) -> tuple[str, bool]:
        try:
            uid = int(key)
        except (TypeError, ValueError):
            return str(key), False
        return names.get(uid, "?"), uid == viewer_id

    out: list[str] = []
    for d in details:
        if not d:
            continue
        kind = d[0]
        if kind == "offers" and len(d) >= 4:
            (giver, giver_me), (taker, taker_me) = who(d[1]), who(d[2])
            tags = join_words(d[3])
            if giver_me:
                out.append(
                    _("You offer %(tags)s, which %(taker)s is looking for.")
                    % {"tags": tags, "taker": taker}
                )
            elif taker_me:
                out.append(
                    _("%(giver)s offers %(tags)s, which you are looking for.")
                    % {"giver": giver, "tags": tags}
                )
            else:
                out.append(
                    _("%(giver)s offers %(tags)s, which %(taker)s is looking for.")
                    % {"giver": giver, "tags": tags, "taker": taker}
                )
        elif kind == "shared_passions" and len(d) >= 2:
            out.append(_("You share a passion for %(tags)s.") % {"tags": join_words(d[1])})
        elif kind == "different_talents" and len(d) >= 5:
            (a, a_me), (b, b_me) = who(d[1]), who(d[3])
            ta, tb = join_words(d[2]), join_words(d[4])
            if b_me:
                (a, ta), (b, tb), a_me = (b, tb), (a, ta), True
            if a_me:
                out.append(
                    _("You bring %(mine)s and %(other)s brings %(theirs)s.")
                    % {"mine": ta, "other": b, "theirs": tb}
                )
            else:
                out.append(
                    _("%(a)s brings %(ta)s and %(b)s brings %(tb)s.")
                    % {"a": a, "ta": ta, "b": b, "tb": tb}
                )
    return out


def for_group(
    group_details: Sequence[Mapping[str, Any]], *, names: Mapping[int, str], viewer_id: int | None
) -> list[dict[str, Any]]:
    """Per pair of a group: {"a", "b", "sentences"}; pairs with the viewer first."""
    out = []
    for item in group_details:
        a, b = item.get("pair", (None, None))
        sentences = render(item.get("details", ()), names=names, viewer_id=viewer_id)
        out.append(
            {
                "a": names.get(a, "?"),
                "b": names.get(b, "?"),
                "mine": viewer_id in (a, b),
                "sentences": sentences,
            }
        )
    out.sort(key=lambda x: not x["mine"])
    return out
