"""Data rights: export everything about a person, and erase (pseudonymise) an account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.csv_export import csv_text
from kring.core.errors import DomainError
from kring.core.files import save_random
from kring.networks.models import Membership, MembershipStatus
from kring.privacy.security import revoke_everything

from .registry import BLANK, DELETE, KEEP, PSEUDONYMISE, REGISTRY, Entry

EXPORT_DIR = "exports"
EXPORT_MAX_AGE = timedelta(hours=48)  # the link and the file; the retention tick deletes it
_SIGNER_SALT = "kring.privacy.export"


def registry_models() -> list[tuple[str, type[models.Model], Entry]]:
    """Registry entries whose app is installed and model exists."""
    out = []
    for label, entry in REGISTRY.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        out.append((label, model, entry))
    return out


def person_paths(model: type[models.Model]) -> list[str]:
    """Every FK/OneToOne to the user model, and every e-mail field."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    paths = []
    for f in model._meta.concrete_fields:
        if (f.is_relation and f.related_model is user_model) or isinstance(f, models.EmailField):
            paths.append(f.name)
    return paths


def _match(model: type[models.Model], paths: list[str] | tuple[str, ...], user: Any) -> Q:
    q = Q(pk__in=[])
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user_model:
        return Q(pk=user.pk)
    for path in paths:
        try:
            f = model._meta.get_field(path.split("__")[0])
        except Exception:  # a lookup through a relation (profile__user)
            f = None
        if "__" in path:
            q |= Q(**{path: user})
        elif isinstance(f, models.EmailField) or (
            isinstance(f, models.CharField) and not f.is_relation
        ):
            q |= Q(**{f"{path}__iexact": user.email})
        else:
            q |= Q(**{path: user})
    return q


def rows_about(model: type[models.Model], entry: Entry, user: Any) -> models.QuerySet:
    paths = list(entry.paths) + [p for p in person_paths(model) if p not in entry.paths]
    return model._default_manager.filter(_match(model, paths, user))


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def build_export(*, user: Any) -> bytes:
    """A ZIP with one JSON and one CSV file per model that holds data about ``user``."""
    buffer = io.BytesIO()
    summary: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for label, model, entry in registry_models():
            fields = [f for f in model._meta.concrete_fields]
            skip = {"password", "key_hash", "token_hash", "token_salt", "secret"}
            if label == "mfa.Authenticator":
                skip.add("data")  # TOTP secrets and passkey keys never leave the server
            if label == "push.PushSubscription":
                skip |= {"p256dh", "auth"}  # a device's keys: the device label and dates go
            names = [f.attname for f in fields if f.name not in skip]
            rows = [
                {n: _plain(getattr(obj, n)) for n in names}
                for obj in rows_about(model, entry, user).order_by("pk")
            ]
            if not rows:
                continue
            summary[label] = len(rows)
            archive.writestr(
                f"json/{label}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
            text, writer = csv_text(bom=False)
            writer.writerow(names)
            for row in rows:
                writer.writerow(
                    json.dumps(row[n], cls=DjangoJSONEncoder)
                    if isinstance(row[n], (dict, list))
                    else row[n]
                    for n in names
                )
            archive.writestr(f"csv/{label}.csv", text.getvalue())
        archive.writestr(
            "README.json",
            json.dumps(
                {
                    "account": user.email,
                    "created_at": timezone.now(),
                    "tables": summary,
                    "about": "Everything Kring stores about you, one file per table.",
                },
                cls=DjangoJSONEncoder,
                indent=2,
            ),
        )
    return buffer.getvalue()


def store_export(*, user: Any) -> str:
    """Build the export, store it under a random name, return a signed token.

    The file is never served by URL: only ``download`` (signed in as its owner, within
    ``EXPORT_MAX_AGE``) streams it. It lives in ``exports/<user id>/`` so that erasing the
    account deletes it, and the retention tick deletes it after ``EXPORT_MAX_AGE``.
    """
    name = save_random(_export_folder(user), build_export(user=user), ext="zip")
    audit.record(verb="privacy.export_built", actor=user, obj=user)
    return signing.dumps({"u": user.pk, "f": name}, salt=_SIGNER_SALT, compress=True)


def open_export(*, token: str, user: Any) -> str:
    """Check a download token (signed, at most 48 hours old, for this user)."""
    try:
        data = signing.loads(token, salt=_SIGNER_SALT, max_age=EXPORT_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError(_("This download link is not valid or has expired."), status=404) from exc
    if data.get("u") != user.pk or not str(data.get("f", "")).startswith(f"{EXPORT_DIR}/"):
        raise DomainError(_("This download link is not valid or has expired."), status=404)
    name = data["f"]
    if not default_storage.exists(name):
        raise DomainError(_("This download link is not valid or has expired."), status=404)
    return name


def _export_folder(user: Any) -> str:
    return f"{EXPORT_DIR}/{user.pk}"


def _export_files(folder: str = EXPORT_DIR) -> list[str]:
    """Every stored export under ``folder`` (one level of per-person folders)."""
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return []
    paths = [f"{folder}/{f}" for f in files]
    for d in dirs:
        paths += _export_files(f"{folder}/{d}")
    return paths


def purge_old_exports(now: Any) -> int:
    """Delete exports older than ``EXPORT_MAX_AGE`` (the retention tick)."""
    removed = 0
    for path in _export_files():
        try:
            if default_storage.get_modified_time(path) < now - EXPORT_MAX_AGE:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


def delete_exports(*, user: Any) -> int:
    """Delete every export of ``user`` (on erasure)."""
    paths = _export_files(_export_folder(user))
    for path in paths:
        default_storage.delete(path)
    return len(paths)


def _blank_value(f: models.Field, pk: int) -> Any:
    if isinstance(f, models.EmailField):
        return "" if f.blank else f"deleted-{pk}@invalid.kring"
    if isinstance(f, models.JSONField):
        return f.get_default()
    if isinstance(f, (models.CharField, models.TextField, models.FileField)):
        return ""
    if f.null:
        return None
    return f.get_default()


def _blank_rows(qs: models.QuerySet, field_names: tuple[str, ...]) -> int:
    model = qs.model
    count = 0
    for obj in qs:
        for name in field_names:
            f = model._meta.get_field(name)
            if isinstance(f, models.FileField):
                file = getattr(obj, name)
                if file:
                    file.delete(save=False)
            setattr(obj, f.attname, _blank_value(f, obj.pk))
        obj.save(update_fields=[model._meta.get_field(n).name for n in field_names])
        count += 1
    return count


def end_memberships(*, user: Any) -> int:
    """Every membership of an erased account ends with the status "erased" (kept for history:
    ledger entries, minutes and introductions still point at it), so no split, round, table
    plan, directory, digest or API counts the person as a member any more."""
    return (
        Membership.objects.filter(user=user)
        .exclude(status=MembershipStatus.ERASED)
        .update(status=MembershipStatus.ERASED, status_changed_at=timezone.now())
    )


@transaction.atomic
def erase_account(*, user: Any) -> dict[str, int]:
    """Erase or pseudonymise everything about ``user``; ledger entries stay (pseudonymised).

    The account row stays as a tombstone ("Former member") so that every foreign key
    (expenses, shares, transfers) keeps pointing somewhere and balances do not change.
    """

    if user.is_superuser:
        raise DomainError(_("An administrator account cannot be deleted here."))
    counts: dict[str, int] = {}
    revoke_everything(user=user, reason="account_deleted")
    transaction.on_commit(lambda: delete_exports(user=user))
    counts["memberships_ended"] = end_memberships(user=user)
    user_label = settings.AUTH_USER_MODEL
    for label, model, entry in registry_models():
        if label.lower() == user_label.lower() or entry.strategy == KEEP:
            continue
        qs = model._default_manager.filter(
            _match(model, entry.paths or tuple(person_paths(model)), user)
        )
        if entry.strategy == DELETE:
            counts[label] = qs.delete()[0]
        elif entry.strategy in {BLANK, PSEUDONYMISE}:
            counts[label] = _blank_rows(qs, entry.fields)
    profile = getattr(user, "profile", None)
    if profile is not None:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            profile.display_name = str(_("Former member"))
        profile.save(update_fields=["display_name"])
    user.email = f"deleted-{user.pk}@invalid.kring"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    audit.record(verb="privacy.account_erased", obj=user, tables=counts)
    return counts
