"""Write audit entries from inside use-cases."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def record(
    *,
    verb: str,
    actor: Any = None,  # a User (core does not import the apps)
    network: Any = None,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        verb=verb,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        network=network,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data={k: _jsonable(v) for k, v in data.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
