"""Strict parsers of settings read from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from dailypapers.core.env import env_bool, env_choice, env_int, env_list


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


def test_a_choice_must_be_one_of_its_values(monkeypatch):
    monkeypatch.setenv("X_CHOICE", "rrf")
    assert env_choice("X_CHOICE", "weighted", ("weighted", "rrf")) == "rrf"
    monkeypatch.setenv("X_CHOICE", "")
    assert env_choice("X_CHOICE", "weighted", ("weighted", "rrf")) == "weighted"
    monkeypatch.setenv("X_CHOICE", "borda")
    with pytest.raises(ImproperlyConfigured, match="X_CHOICE='borda': use one of weighted, rrf"):
        env_choice("X_CHOICE", "weighted", ("weighted", "rrf"))


def test_an_unknown_fusion_stops_the_start(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SEARCH_FUSION": "borda", "DAILYPAPERS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "dailypapers.cli", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SEARCH_FUSION='borda'" in result.stderr
