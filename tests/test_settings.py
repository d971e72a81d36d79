"""Settings from the environment: databases and their secrets."""

import os
import subprocess
import sys
from pathlib import Path

from tests.core.test_secret_key import GOOD_KEY


def _settings_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE']); "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('init_command', ''))"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "dailypapers.settings", **env},
        capture_output=True,
        text=True,
    )


def test_embedded_default_is_sqlite_in_wal_mode(tmp_path: Path):
    result = _settings_in_subprocess({"DAILYPAPERS_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout and "journal_mode=WAL" in result.stdout
    assert (tmp_path / "secret_key").exists()


def test_database_url_selects_postgresql_and_needs_a_secret(tmp_path: Path):
    url = "postgres://postgres@127.0.0.1:5432/test"
    refused = _settings_in_subprocess({"DATABASE_URL": url, "DAILYPAPERS_DATA_DIR": str(tmp_path)})
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
    accepted = _settings_in_subprocess(
        {"DATABASE_URL": url, "SECRET_KEY": GOOD_KEY, "DAILYPAPERS_DATA_DIR": str(tmp_path)}
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "postgresql" in accepted.stdout
