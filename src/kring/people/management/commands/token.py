from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kring.people.models import User
from kring.people.services import create_api_token


class Command(BaseCommand):
    help = "kring token create EMAIL [EMAIL ...]: print a new API token per e-mail, in order."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("emails", nargs="+")
        parser.add_argument("--name", default="CLI")

    def handle(self, *args: Any, **options: Any) -> None:
        users = []
        for email in options["emails"]:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"No account with e-mail {email}")
            users.append(user)
        for user in users:
            _token, raw = create_api_token(user=user, name=options["name"])
            self.stdout.write(raw)
