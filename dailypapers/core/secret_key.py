"""Where SECRET_KEY comes from.

The embedded default must start with no configuration at all, so it keeps a
generated key in its data directory (created once, readable by the owner
only). A production deployment names its key in the environment; a key that
fails Django's own strength rule (its check security.W009: at least 50
characters, 5 distinct, not Django's "insecure" placeholder) is refused rather
than silently signing sessions, password-reset and unsubscribe tokens with
something an attacker can guess.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.checks.security.base import SECRET_KEY_MIN_LENGTH, _check_secret_key
from django.core.exceptions import ImproperlyConfigured


def validate(key: str) -> str:
    if not _check_secret_key(key):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for Django's own check: use at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))")'
        )
    return key


def load_or_create(path: Path) -> str:
    """Return the key stored at ``path``, creating it atomically on first use."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        # O_EXCL: two processes starting at once must agree on one key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def resolve(*, env_value: str, debug: bool, embedded: bool, data_dir: Path) -> str:
    if env_value:
        return env_value if debug else validate(env_value)
    if embedded or debug:
        return load_or_create(data_dir / "secret_key")
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment when DATABASE_URL points at a "
        "production database and DEBUG is off"
    )
