"""What gunicorn's workers share (server/http.py, dailypapers/wsgi.py): the
application is loaded before they fork, views included, with the collector's
objects frozen so that it does not copy their pages; the model is not, since
a worker forked from a process running its thread hung or aborted."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.no_database

LOADED = """
import gc, sys, threading
threads = threading.active_count()
import dailypapers.wsgi
print(gc.get_freeze_count() > 0, "dailypapers.pages.paper" in sys.modules,
      "onnxruntime" in sys.modules or "faiss" in sys.modules)
"""


def test_loading_the_application_loads_the_views_and_freezes_them_but_not_the_model(tmp_path):
    env = {"DAILYPAPERS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", LOADED], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False"]
