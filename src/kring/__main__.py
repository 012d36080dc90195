"""The ``kring`` command: Kring's manage.py (every Django command, plus serve and demo)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    from django.core.management import execute_from_command_line  # after the settings are named

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
