"""Running `dailypapers` as a real process against its own database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

CLI = Path(sys.executable).with_name("dailypapers")
SECRET = "process-test-" + uuid.uuid4().hex + uuid.uuid4().hex


@contextmanager
def scratch_database():
    """None on the embedded default; on a PostgreSQL test run, a fresh database's URL."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        yield None
        return
    import psycopg

    name = f"dp_proc_{uuid.uuid4().hex[:10]}"
    port = db["PORT"] or 5432
    admin = dict(
        host=db["HOST"],
        port=port,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
    )
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        yield f"postgres://{auth}@{db['HOST']}:{port}/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


@contextmanager
def site(tmp_path: Path, **extra: str):
    with scratch_database() as url:
        yield Site(tmp_path, url, **extra)
