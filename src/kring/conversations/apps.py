from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "kring.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from kring.core.registry import (
            NavItem,
            register_home_panel,
            register_nav,
            register_profile_panel,
        )
        from kring.core.ticks import register_tick

        from .panels import home_panel, profile_panel
        from .selectors import unread_badge
        from .tasks import message_mail_tick

        register_nav(
            NavItem(
                _("Messages"),
                "conversations:inbox",
                order=25,
                badge=unread_badge,
                icon="message-circle",
                slot="top",  # an icon in the top bar, with the unread count
            )
        )
        register_profile_panel(profile_panel)
        register_home_panel(home_panel)
        register_tick("conversations.message_mail", message_mail_tick)
