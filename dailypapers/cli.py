"""The ``dailypapers`` command: Django's management commands under one name.

``dailypapers run`` serves the site, ``dailypapers import ...`` loads data,
and every other Django command (``migrate``, ``createsuperuser``) works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dailypapers", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
