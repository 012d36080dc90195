from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The wiring above the domain apps: the demo, the load seed, the middleware and context
    processor that know the network of a page, and the landing page. ``kring.core`` stays below
    every app; whatever needs to know several apps lives here (or in ``kring.app_registry``)."""

    name = "kring.site"
    label = "site"
