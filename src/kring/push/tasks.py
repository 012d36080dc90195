"""Background work of web push: the test notification."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kring.notify.services import absolute, language_of
from kring.people.models import User

from .channel import deliver


@task
def send_test_push(user_id: int) -> int:
    """The devices page's "send a test notification", in the person's language."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    language = language_of(user)
    with translation.override(language):
        payload = {
            "title": _("Kring works on this device"),
            "body": _("Notifications you turned on will appear like this."),
            "url": absolute(reverse("push:devices")),
            "lang": language,
            "kind": "test",
            "tag": "kring-test",
        }
    return deliver(user=user, payload=payload)
