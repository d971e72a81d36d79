"""`dailypapers run` collects static files only when their sources changed
(server/static_files.py): hashing and compressing them again at every start
cost 27 s of both cores before the first page."""

from __future__ import annotations

import os

import pytest

from dailypapers.server.static_files import STAMP_NAME, collect_static

pytestmark = pytest.mark.no_database


@pytest.fixture
def sources(settings, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "site.css").write_text("body { color: black }")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "static"
    return source


def test_a_second_start_with_the_same_sources_collects_nothing(sources, settings):
    assert collect_static() is True
    collected = settings.STATIC_ROOT / "site.css"
    assert collected.read_text() == "body { color: black }"
    collected.write_text("left alone")  # what a second collection would overwrite
    assert collect_static() is False
    assert collected.read_text() == "left alone"


def test_a_changed_or_new_source_is_collected_at_the_next_start(sources, settings):
    collect_static()
    changed = sources / "site.css"
    changed.write_text("body { color: navy }")
    later = changed.stat().st_mtime_ns + 2_000_000_000
    os.utime(changed, ns=(later, later))
    assert collect_static() is True
    assert (settings.STATIC_ROOT / "site.css").read_text() == "body { color: navy }"
    (sources / "new.js").write_text("// new")
    assert collect_static() is True
    assert (settings.STATIC_ROOT / "new.js").exists()


def test_a_collection_cut_short_is_done_again(sources, settings):
    collect_static()
    (settings.STATIC_ROOT / STAMP_NAME).unlink()  # as when killed mid-way
    (settings.STATIC_ROOT / "site.css").unlink()
    assert collect_static() is True
    assert (settings.STATIC_ROOT / "site.css").exists()
