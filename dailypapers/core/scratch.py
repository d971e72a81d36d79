"""A throw-away PostgreSQL database, for work that must not touch the site's own.

``dailypapers eval`` loads a judged collection into one; the test suite and
the benchmarks run real ``dailypapers`` processes against them.
"""

from __future__ import annotations

import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def _terminated_as_exit() -> Iterator[None]:
    """SIGTERM (``kill``, a supervisor or CI stopping the command) ends Python
    at once by default, without running ``finally`` blocks: the scratch
    database would stay on the server. Within this block it raises SystemExit
    instead, so cleanup runs. A handler someone else installed is left alone,
    and only the main thread can install one."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def admin_url(server_url: str) -> str:
    """The URL of the server's ``postgres`` database, from which databases
    are made, dropped and listed."""
    return urlunsplit(urlsplit(server_url)._replace(path="/postgres"))


@contextmanager
def scratch_postgres(server_url: str, *, prefix: str = "dp_scratch") -> Iterator[str]:
    """The URL of a new, empty database on the server ``server_url`` names
    (any database of it), dropped afterwards even if its users are still
    connected, and when the process is stopped by SIGTERM."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = admin_url(server_url)
    with _terminated_as_exit():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
