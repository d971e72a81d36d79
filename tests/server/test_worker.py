"""The worker as real processes: one per data directory, gone with its parent,
jobs that do not wait for each other, an unreachable arXiv as one warning line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import SEED_FILE
from tests.processes import free_port, site

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_second_worker_on_one_data_directory_refuses_to_start(tmp_path):
    with site(tmp_path, SEARCH_EMBEDDINGS="0", ARXIV_CATEGORIES="") as s:
        s.run("migrate", "-v0")
        first = s.start("worker", "--loop", stdout=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: (tmp_path / "worker.lock").exists(), 60, "the first worker")
            second = s.run("worker", check=False)
            assert second.returncode == 2
            assert second.stderr.strip().splitlines() == [
                f"CommandError: another worker (process {first.pid}) runs the jobs of {tmp_path}"
            ]
        finally:
            first.terminate()
            first.wait(30)


def test_the_worker_goes_when_its_parent_dies_even_by_sigkill(tmp_path):
    with site(tmp_path, SEARCH_EMBEDDINGS="0", ARXIV_CATEGORIES="") as s:
        s.run("migrate", "-v0")
        # A parent that starts the worker as `dailypapers run` does, then waits.
        code = (
            "import subprocess, sys, time\n"
            "subprocess.Popen([sys.executable, '-m', 'dailypapers.cli', 'worker', '--loop',"
            " '--exit-with-parent'])\n"
            "time.sleep(600)\n"
        )
        parent = subprocess.Popen([sys.executable, "-c", code], env=s.env)
        try:
            wait_for(lambda: psutil.Process(parent.pid).children(), 30, "no worker started")
            (worker,) = psutil.Process(parent.pid).children()
            wait_for(lambda: (tmp_path / "worker.lock").exists(), 60, "the worker's lock")
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait(10)
            gone, alive = psutil.wait_procs([worker], timeout=15)
            assert not alive, "the worker outlived its parent"
        finally:
            parent.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_run_takes_its_worker_and_server_processes_with_it(tmp_path, sig):
    with site(tmp_path, SEARCH_EMBEDDINGS="0", ARXIV_CATEGORIES="") as s:
        log = (tmp_path / "run.log").open("w+")
        run = s.start("run", "--no-import", "--port", str(free_port()), stdout=log, stderr=log)
        try:
            wait_for(
                lambda: len(psutil.Process(run.pid).children(recursive=True)) >= 3,
                120,
                "the site did not start its worker and server processes",
            )
            wait_for(lambda: (tmp_path / "worker.lock").exists(), 60, "the worker's lock")
            family = psutil.Process(run.pid).children(recursive=True)
            started = time.monotonic()
            os.kill(run.pid, sig)
            run.wait(40)
            gone, alive = psutil.wait_procs(family, timeout=25)
            assert not alive, f"left running: {[p.cmdline() for p in alive]}"
            if sig == signal.SIGTERM:
                assert run.returncode == 0 and time.monotonic() - started < 30
                log.seek(0)
                assert "Traceback" not in log.read()
        finally:
            log.close()
            if run.poll() is None:
                run.kill()


def test_an_unreachable_arxiv_is_one_warning_and_holds_up_no_other_job(tmp_path):
    with site(
        tmp_path,
        ARXIV_OAI_URL="http://arxiv.invalid/oai",
        ARXIV_CATEGORIES="cs.LG",
        ARXIV_INGEST_AT="00:00",
        ARXIV_RETRIES="2",
        ARXIV_BACKOFF="3",
        ARXIV_MIN_INTERVAL="0",
        LOG_LEVEL="WARNING",
    ) as s:
        s.run("migrate", "-v0")
        s.run("import", "seed", str(SEED_FILE), "--no-progress")
        result = s.run("worker", check=False)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
        assert len(warnings) == 1 and "job arxiv-daily failed" in warnings[0], result.stderr
        assert "arxiv.invalid" in warnings[0] and "tried again later" in warnings[0]
        times = {
            name: (started, finished)
            for name, started, finished in s.query(
                "SELECT name, last_started_at, last_finished_at FROM server_jobstate "
                "WHERE name IN ('arxiv-daily', 'search-index')"
            )
        }
        # Embedding the 43 papers and the ingest's retries ran at the same
        # time, neither waiting for the other to end (which one ends first
        # depends on how busy the cores are).
        (index_start, index_end), (ingest_start, ingest_end) = (
            times["search-index"],
            times["arxiv-daily"],
        )
        assert index_start < ingest_end and ingest_start < index_end
        assert "embedded 43 papers" in result.stdout
