from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kring.core.registry import NavItem, register_home_panel, register_nav


class KnowledgeConfig(AppConfig):
    name = "kring.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        # The app's own modules import its models: import them once the registry is ready.
        from .panels import home_panel

        register_nav(
            NavItem(
                _("Knowledge"),
                "knowledge:list",
                order=60,
                icon="book-open",
                description=_("Posts and what we learned together"),
            )
        )
        register_home_panel(home_panel)
