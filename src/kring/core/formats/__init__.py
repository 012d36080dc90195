"""Date formats per language (``FORMAT_MODULE_PATH``): Dutch writes dates in lower case
("1 jan. 2026", "dinsdag 8 december"), English as in the UK ("1 Jan 2026").

Templates use the names, never a pattern with ``M`` (Django capitalises that month, also in
Dutch): ``date:"SHORT_DATE_FORMAT"`` (1 jan. 2026), ``"SHORT_DATETIME_FORMAT"``
(1 jan. 2026 19:30), ``"DATE_FORMAT"`` (1 januari 2026), ``"MONTH_DAY_FORMAT"`` (1 januari),
``"YEAR_MONTH_FORMAT"`` (januari 2026). Django's own formats fill in what is not here (the
input formats). The abbreviated Dutch months carry a full stop ("jan.", "mei") through the
project catalogue (``kring/wording.py``)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import get_language

#: Formats Django has no name for; each language module defines them.
EXTRA = {"SHORT_MONTH_FORMAT": "M", "SHORT_MONTH_YEAR_FORMAT": "M y"}


def named_format(name: str) -> str:
    """One of :data:`EXTRA` for the active language: ``date_format(d, named_format(...))``."""
    for module in formats.get_format_modules(get_language()):
        value = getattr(module, name, None)
        if value:
            return str(value)
    return EXTRA[name]
