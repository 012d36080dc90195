"""The signed token in an applicant's verification link (shared by the use-cases and the
e-mail task that sends it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core import signing

if TYPE_CHECKING:
    from .models import Application

VERIFY_SALT = "kring.commitment.application"


def verification_token(application: Application) -> str:
    return signing.TimestampSigner(salt=VERIFY_SALT).sign(str(application.pk))
