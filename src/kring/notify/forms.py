from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import DAILY, NOW, OFF, get_kind
from .services import modes_for

MODE_LABELS = {NOW: _("At once"), DAILY: _("Daily bundle"), OFF: _("Off")}


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One choice per kind and channel, built from the registries."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], channels: list[Any], **kw: Any):
        super().__init__(*args, **kw)
        self.rows: list[dict[str, Any]] = []
        for row in rows:
            kind = get_kind(row["kind"])
            fields = []
            for channel in channels:
                if channel.name not in row["channels"]:
                    continue
                choices = [
                    (m, kind.now_label if m == NOW and kind.now_label else MODE_LABELS.get(m, m))
                    for m in modes_for(kind, channel)
                ]
                name = field_name(kind.name, channel.name)
                self.fields[name] = forms.ChoiceField(
                    label=channel.label,
                    choices=choices,
                    initial=row["channels"][channel.name],
                )
                fields.append(name)
            self.rows.append({"kind": kind, "fields": fields})

    def groups(self) -> list[dict[str, Any]]:
        """Rows with their bound fields, grouped under their headings, in order."""
        out: list[dict[str, Any]] = []
        for row in self.rows:
            bound = [self[name] for name in row["fields"]]
            if not out or out[-1]["group"] != row["kind"].group:
                out.append({"group": row["kind"].group, "rows": []})
            out[-1]["rows"].append({"kind": row["kind"], "fields": bound})
        return out

    def choices(self) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for name, value in self.cleaned_data.items():
            kind, channel = name.split("__", 1)
            result.setdefault(kind, {})[channel] = value
        return result
