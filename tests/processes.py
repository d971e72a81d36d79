"""Running `dailypapers` as a real process against its own database."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from dailypapers.core.scratch import scratch_postgres

CLI = Path(sys.executable).with_name("dailypapers")
SECRET = "process-test-" + uuid.uuid4().hex + uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def scratch_database():
    """None on the embedded default; on a PostgreSQL test run, a fresh database's URL."""
    if not settings.DATABASE_URL:
        yield None
        return
    with scratch_postgres(settings.DATABASE_URL, prefix="dp_proc") as url:
        yield url


class Site:
    """The environment of one `dailypapers` installation: data directory and database."""

    def __init__(self, data_dir: Path, database_url: str | None, **extra: str) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
        }
        env.update(DAILYPAPERS_DATA_DIR=str(data_dir), **extra)
        if database_url:
            env.update(DATABASE_URL=database_url, SECRET_KEY=SECRET)
        self.env = env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(CLI), *args], env=self.env, capture_output=True, text=True, timeout=600
        )
        if check and result.returncode not in (0, 1):
            raise AssertionError(
                f"dailypapers {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}"
            )
        return result

    def start(self, *args: str, **popen) -> subprocess.Popen:
        return subprocess.Popen([str(CLI), *args], env=self.env, start_new_session=True, **popen)

    def query(self, sql: str) -> list[tuple]:
        """Read the site's database directly, as an operator would."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.data_dir / "dailypapers.sqlite3", timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def scalar(self, sql: str):
        rows = self.query(sql)
        return rows[0][0] if rows else None


def wait_until_up(base: str, proc: subprocess.Popen, log: Path, *, seconds: float) -> None:
    """Wait until the site a `dailypapers run` process serves answers its feed
    page; fail with the end of its ``log`` if it exits or takes too long."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, f"run exited: {log.read_text()[-3000:]}"
        try:
            if httpx.get(base + "/papers/", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"the site did not come up in {seconds:.0f} s"
        time.sleep(0.5)


@contextmanager
def site(tmp_path: Path, **extra: str):
    with scratch_database() as url:
        yield Site(tmp_path, url, **extra)


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    """`dailypapers ARGS` on the embedded default in ``data_dir``, for what needs no database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    env["DAILYPAPERS_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=120)
