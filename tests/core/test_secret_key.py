"""Where SECRET_KEY comes from, and which keys are refused."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dailypapers.core import secret_key

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
