"""Optional links to other apps (gatherings, results): imported lazily, guarded.

Those apps may not be installed or finished; every function here degrades to ``None``/``[]``.
"""

from __future__ import annotations

from typing import Any

from kring.networks.models import Network


def _model(app: str, name: str) -> Any:
    try:
        from django.apps import apps

        return apps.get_model(app, name)
    except (LookupError, ImportError):
        return None


def gathering(network: Network, pk: int) -> Any:
    model = _model("gatherings", "Gathering")
    if model is None:
        return None
    try:
        return model.objects.filter(network=network, pk=pk).first()
    except Exception:
        return None


def objective(network: Network, pk: int) -> Any:
    model = _model("results", "Objective")
    if model is None:
        return None
    try:
        return model.objects.filter(network=network, pk=pk).first()
    except Exception:
        return None


def choices(network: Network, app: str, name: str, order: str) -> list[tuple[int, str]]:
    model = _model(app, name)
    if model is None:
        return []
    try:
        return [(o.pk, str(o)) for o in model.objects.filter(network=network).order_by(order)[:100]]
    except Exception:
        return []


def gathering_choices(network: Network) -> list[tuple[int, str]]:
    return choices(network, "gatherings", "Gathering", "-pk")


def objective_choices(network: Network) -> list[tuple[int, str]]:
    return choices(network, "results", "Objective", "-pk")


def gathering_url(network: Network, pk: int) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name, kwargs in (
        ("gatherings:detail", {"slug": network.slug, "pk": pk}),
        ("gatherings:detail", {"slug": network.slug, "gathering_id": pk}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None
