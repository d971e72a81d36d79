"""Static files collected at start only when their sources changed.

``collectstatic`` hashes and compresses every file again on every run, even
when nothing changed (whitenoise's brotli at its best quality over Django
admin's and the API docs' bundles): 27 s of both cores at each
`dailypapers run`, before the first page. A stamp of the sources (every
file the finders list, with its size and modification time, and the
settings that shape the output) is kept beside the collected files; a start
whose sources match it skips the work.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP_NAME = ".sources"


def sources_stamp() -> str:
    digest = hashlib.sha256()
    shaping = ("STATIC_URL", "STORAGES", "WHITENOISE_KEEP_ONLY_HASHED_FILES")
    shaping += ("WHITENOISE_SKIP_COMPRESS_EXTENSIONS",)
    digest.update(repr([getattr(settings, name, None) for name in shaping]).encode())
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = []
    for finder in get_finders():
        for path, storage in finder.list(ignore):
            source = storage.path(path)
            stat = os.stat(source)
            found.append(f"{path}\0{source}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest.update("\n".join(sorted(found)).encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """Collect static files unless those collected came from the same
    sources; True when it collected."""
    root = Path(settings.STATIC_ROOT)
    stamp_file = root / STAMP_NAME
    stamp = sources_stamp()
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        return False
    # A collection cut short must not look finished at the next start.
    stamp_file.unlink(missing_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp_file.write_text(stamp)
    return True
