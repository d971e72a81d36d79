"""The ``dailypapers`` command: Django's management commands under one name.

``dailypapers run`` serves the site, ``dailypapers import ...`` loads data,
and every other Django command (``migrate``, ``createsuperuser``) works too,
under the one exit-status rule of core.exits.
"""

from __future__ import annotations

import os
import sys

# The commands whose exit status 1 means "done, nothing new arrived".
REPORTS_NOTHING_NEW = {"import", "ingest"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from dailypapers.core import exits

    args = sys.argv[1:] if argv is None else argv
    try:
        # Settings are read here, before any command exists: a bad one is the
        # operator's to fix, said in one line.
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"dailypapers: {exc}\n")
        raise SystemExit(exits.FAILED) from None
    try:
        execute_from_command_line(["dailypapers", *args])
    except SystemExit as exc:
        # Django's own commands (migrate, ...) exit 1 when they fail.
        if exc.code == exits.NOTHING_NEW and (args[:1] or [""])[0] not in REPORTS_NOTHING_NEW:
            raise SystemExit(exits.FAILED) from None
        raise


if __name__ == "__main__":
    main()
