from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_nav
from kring.core.ticks import register_tick


class PublicConfig(AppConfig):
    name = "kring.public"
    label = "public"
    verbose_name = _("Public page and notifications")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from kring.core.warm import register_warm_paths  # imports models

        from .cache import warm_paths
        from .digest import digest_tick
        from .followers import followers_tick

        register_nav(
            NavItem(_("Widgets and followers"), "public:embed_settings", order=90, host_only=True)
        )
        register_tick("public.weekly_digest", digest_tick)
        register_tick("public.followers", followers_tick)
        register_warm_paths(warm_paths)
