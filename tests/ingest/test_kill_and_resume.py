"""`kill -9` in the middle of a bulk import or a harvest, then the same command again.

Real processes, their own database (SQLite file, or a scratch PostgreSQL
database on a PostgreSQL test run), read back directly.
"""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import time

import psutil
import pytest

from tests.conftest import shared_data
from tests.ingest.arxiv_fixtures import add_cs_harvest, cs_records
from tests.processes import site
from tests.replay import ReplayServer

pytestmark = pytest.mark.slow


def wait_for(predicate, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_killed_snapshot_import_resumes_without_loss_or_duplicates(tmp_path):
    source = shared_data() / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"
    with gzip.open(source, "rt") as handle:
        lines = [next(handle) for _ in range(12_000)]
    lines += lines[:500]  # the same papers again later in the file
    path = tmp_path / "part.jsonl.gz"
    path.write_bytes(gzip.compress("".join(lines).encode()))
    distinct = {json.loads(line)["id"] for line in lines}

    with site(tmp_path / "site") as s:
        s.run("migrate", "-v0")
        proc = s.start("import", "snapshot", str(path), "--batch-size", "500", "--no-progress")
        wait_for(
            lambda: (s.scalar("SELECT max(lines_done) FROM ingest_importcheckpoint") or 0) >= 2000,
            timeout=120,
            what="the first committed batches",
        )
        # Its reading process (ingest.reading_process) notices and stops too.
        children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        _, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, f"left running after the kill: {[p.cmdline() for p in alive]}"
        stored_at_kill = s.scalar("SELECT count(*) FROM papers_paper")
        assert 0 < stored_at_kill < len(distinct)

        again = s.run("import", "snapshot", str(path), "--no-progress")
        assert again.returncode == 0
        assert "resumed after line" in again.stdout
        total, unique = s.query("SELECT count(*), count(DISTINCT arxiv_id) FROM papers_paper")[0]
        assert total == unique == len(distinct)


def test_a_killed_reading_process_stops_the_import_instead_of_hanging_it(tmp_path):
    source = shared_data() / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"
    with gzip.open(source, "rt") as handle:
        lines = [next(handle) for _ in range(12_000)]
    path = tmp_path / "part.jsonl.gz"
    path.write_bytes(gzip.compress("".join(lines).encode()))

    with site(tmp_path / "site") as s:
        s.run("migrate", "-v0")
        proc = s.start(
            "import", "snapshot", str(path), "--batch-size", "500", "--no-progress",
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        wait_for(
            lambda: (s.scalar("SELECT max(lines_done) FROM ingest_importcheckpoint") or 0) >= 1000,
            timeout=120,
            what="the first committed batches",
        )
        reader = next(
            p
            for p in psutil.Process(proc.pid).children(recursive=True)
            if "spawn_main" in " ".join(p.cmdline())
        )
        reader.kill()  # the OOM killer, say
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 2  # failed, not "nothing new"
        assert "reading process stopped" in stderr and "resumes" in stderr

        again = s.run("import", "snapshot", str(path), "--no-progress")
        assert again.returncode == 0 and "resumed after line" in again.stdout
        assert s.scalar("SELECT count(DISTINCT arxiv_id) FROM papers_paper") == len(lines)


def test_killed_oai_harvest_resumes_at_the_page_it_stopped(tmp_path):
    with ReplayServer() as server, site(tmp_path / "site", ARXIV_MIN_INTERVAL="0") as s:
        # The first request for page 2 hangs; the process is killed while waiting.
        add_cs_harvest(server, delay_first={2: 60})
        s.run("migrate", "-v0")
        args = (
            "ingest",
            "oai",
            "--set",
            "cs",
            "--from",
            "2015-01-16",
            "--until",
            "2015-01-18",
            "--endpoint",
            server.url + "/oai",
            "--no-progress",
        )
        proc = s.start(*args)
        wait_for(
            lambda: s.scalar("SELECT max(pages) FROM ingest_harveststate") == 1,
            timeout=60,
            what="the first page to be committed",
        )
        wait_for(lambda: len(server.requests) == 2, timeout=30, what="the request for page 2")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        assert s.scalar("SELECT count(*) FROM papers_paper") == 20

        again = s.run(*args)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "resumed an interrupted harvest at page 2" in again.stdout
        assert server.requests[2].query == {"verb": "ListRecords", "resumptionToken": "6960524|21"}
        total, unique = s.query("SELECT count(*), count(DISTINCT arxiv_id) FROM papers_paper")[0]
        assert total == unique == len(cs_records()) == 46
        assert s.scalar("SELECT completed_at IS NOT NULL FROM ingest_harveststate") in (1, True)
