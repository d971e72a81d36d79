import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from dailypapers.papers.models import Paper
from tests.conftest import DAY_FILES, SEED_FILE
from tests.processes import run_cli

pytestmark = pytest.mark.django_db


def call(*args, expect: int = 0) -> str:
    """Run the command; it exits 0 when something new arrived, 1 when nothing did."""
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", *args, "--no-progress", stdout=out)
    assert exit_info.value.code == expect, out.getvalue()
    return out.getvalue()


def test_daily_papers_summary():
    out = call("daily-papers", str(DAY_FILES / "2025-10-08.json"))
    assert "Daily Papers: 1 file(s), 23 entries read, 0 skipped" in out
    assert "papers: 23 new, 0 updated, 0 unchanged" in out
    again = call("daily-papers", str(DAY_FILES / "2025-10-08.json"), expect=1)
    assert "papers: 0 new, 0 updated, 23 unchanged" in again


def test_seed_summary():
    assert "papers: 43 new" in call("seed", str(SEED_FILE))


def test_default_reads_a_data_folder(tmp_path: Path):
    (tmp_path / "hf_daily_papers").mkdir()
    (tmp_path / "hf_daily_papers" / "2025-10-08.json").write_text(
        (DAY_FILES / "2025-10-08.json").read_text()
    )
    (tmp_path / "seed_papers.json").write_text(SEED_FILE.read_text())
    out = call("default", "--data-dir", str(tmp_path))
    assert "Saved page seed_papers.json" in out and "Daily Papers: 1 file(s)" in out
    assert Paper.objects.count() == 43 + 23


def test_strict_exits_2_on_problems_after_importing_the_rest(tmp_path: Path):
    (tmp_path / "2025-10-08.json").write_text(json.dumps(["nope"]))
    (tmp_path / "2025-10-09.json").write_text((DAY_FILES / "2025-10-09.json").read_text())
    call("daily-papers", str(tmp_path), "--strict", expect=2)
    assert Paper.objects.count() > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["snapshot", "{tmp}"], "is a folder, not a file"),
        (["snapshot", "{tmp}/missing.jsonl.gz"], "no such file"),
        (["snapshot", "{seed}", "--batch-size", "0"], "must be a whole number of at least 1"),
        (["seed", "{tmp}/missing.json"], "no such file"),
        (["daily-papers", "{tmp}/missing"], "no such file or folder"),
        (["default", "--data-dir", "{tmp}/missing"], "no such folder"),
    ],
)
def test_misuse_exits_2_with_one_line(args, message, tmp_path: Path):
    result = run_cli(
        "import",
        *(a.format(tmp=tmp_path, seed=SEED_FILE) for a in args),
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
