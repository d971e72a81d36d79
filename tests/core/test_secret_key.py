"""Where SECRET_KEY comes from, and which keys are refused."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dailypapers.core import secret_key

GOOD_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN"


def test_embedded_default_generates_and_keeps_a_key(tmp_path: Path):
    first = secret_key.resolve(env_value="", debug=False, embedded=True, data_dir=tmp_path)
    again = secret_key.resolve(env_value="", debug=False, embedded=True, data_dir=tmp_path)
    assert first == again and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_without_a_key_is_refused(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        secret_key.resolve(env_value="", debug=False, embedded=False, data_dir=tmp_path)


@pytest.mark.parametrize(
    "value",
    [
        "django-insecure-" + "x1y2z3" * 10,
        "changeme" + "abcdefgh" * 5,
        "short",
        "a" * 60,
        # 40 characters, 8 distinct: Django's own check (security.W009) calls it weak.
        "abcdefgh" * 5,
    ],
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


@pytest.mark.parametrize("prefix", ["secret", "dev", "Secret-"])
def test_a_strong_key_may_begin_with_any_word(prefix, tmp_path: Path):
    """Django's rule is length and variety; a random key that happens to start
    with "secret" or "dev" is as strong as any other."""
    key = prefix + GOOD_KEY
    assert secret_key.resolve(env_value=key, debug=False, embedded=False, data_dir=tmp_path) == key


def test_a_missing_key_is_one_line_not_a_traceback(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    env.update(DAILYPAPERS_DATA_DIR=str(tmp_path))
    env.pop("SECRET_KEY", None)
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "run"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "dailypapers: SECRET_KEY must be set in the environment when DATABASE_URL points at a "
        "production database and DEBUG is off"
    ]
