"""``kring ledger-check``: prove the running balance totals match the ledger's entries.

Exit status 0 when every total matches; 1 (with one line per wrong total) when one does not.
``--repair`` then sets the wrong totals to what the entries say (the entries are the truth).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kring.ledger import totals
from kring.networks.models import Network


class Command(BaseCommand):
    help = "Check that every running balance total equals the sum of the ledger's entries."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--network", help="Only this network (its slug).")
        parser.add_argument(
            "--repair", action="store_true", help="Rebuild wrong totals from the entries."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        networks = Network.objects.order_by("pk")
        if options["network"]:
            networks = networks.filter(slug=options["network"])
            if not networks.exists():
                raise CommandError(f"No network {options['network']!r}.")
        wrong = totals.mismatches(list(networks))
        for network, user_id, have, truth in wrong:
            self.stdout.write(
                f"{network.slug}: user {user_id} has {have} cents in the totals, "
                f"{truth} in the entries"
            )
        if not wrong:
            n = networks.count()
            self.stdout.write(f"All running totals match the entries ({n} networks).")
            return
        if options["repair"]:
            for network in {n for n, *_rest in wrong}:
                totals.rebuild(network)
            still = totals.mismatches(list({n for n, *_rest in wrong}))
            if not still:
                self.stdout.write(f"Repaired {len(wrong)} totals from the entries.")
                return
        sys.exit(1)
