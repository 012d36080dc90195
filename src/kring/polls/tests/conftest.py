from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _setup(settings: Any, monkeypatch: Any) -> None:
    from django.db import transaction

    settings.LANGUAGE_CODE = "en"
    settings.KRING_ANTISPAM_MAX_NUMBER = 50
    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
