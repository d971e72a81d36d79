"""Settings from the environment: secrets, databases, strict parsing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dailypapers.core import secret_key
from dailypapers.core.env import env_bool, env_int, env_list

GOOD_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def test_embedded_default_generates_and_keeps_a_key(tmp_path: Path):
    first = secret_key.resolve(env_value="", debug=False, embedded=True, data_dir=tmp_path)
    again = secret_key.resolve(env_value="", debug=False, embedded=True, data_dir=tmp_path)
    assert first == again and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_without_a_key_is_refused(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        secret_key.resolve(env_value="", debug=False, embedded=False, data_dir=tmp_path)


@pytest.mark.parametrize(
    "value", ["django-insecure-" + "x1y2z3" * 10, "changeme" + "abcdefgh" * 5, "short", "a" * 60]
)
def test_placeholder_or_weak_keys_are_refused_without_debug(value, tmp_path: Path):
    with pytest.raises(ImproperlyConfigured):
        secret_key.resolve(env_value=value, debug=False, embedded=False, data_dir=tmp_path)


def test_a_weak_key_is_tolerated_in_debug(tmp_path: Path):
    assert (
        secret_key.resolve(env_value="dev", debug=True, embedded=False, data_dir=tmp_path) == "dev"
    )


def test_a_strong_key_is_used(tmp_path: Path):
    assert (
        secret_key.resolve(env_value=GOOD_KEY, debug=False, embedded=False, data_dir=tmp_path)
        == GOOD_KEY
    )


def test_env_parsers_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL='maybe' is not a boolean"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT='ten' is not an integer"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("X_INT", 1, minimum=1)
    monkeypatch.setenv("X_LIST", " a.org, b.org ,,")
    assert env_list("X_LIST", []) == ["a.org", "b.org"]


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
