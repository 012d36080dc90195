"""The words the offline door list script shows (``static/gatherings/door.js``), translated here
and handed to the page as JSON (``json_script``: data, not code, so the CSP allows it).
``{n}`` and ``{total}`` are filled in by the script."""

from __future__ import annotations

from django.utils.translation import gettext as _


def door_texts() -> dict[str, str]:
    return {
        "count": _("{n} of {total} checked in"),
        "pending_one": _(
            "1 check-in is waiting to be saved: it is saved when you are back online."
        ),
        "pending_many": _(
            "{n} check-ins are waiting to be saved: they are saved when you are back online."
        ),
        "saving": _("Saving check-ins…"),
        "saved": _("All check-ins are saved."),
        "login": _("Log in again to save the check-ins waiting on this phone."),
        "failed": _("The check-ins could not be saved yet; Kring tries again: {reason}"),
        "undo_offline": _("Undoing a check-in needs a connection."),
        "pending_row": _("waiting to be saved; press to take back"),
        "checked_row": _("checked in; press to undo"),
        "open_row": _("press to check in"),
        "pending_badge": _("not saved yet"),
    }
