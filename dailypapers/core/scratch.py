"""A throw-away PostgreSQL database, for work that must not touch the site's own.

``dailypapers eval`` loads a judged collection into one; the test suite and
the benchmarks run real ``dailypapers`` processes against them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def scratch_postgres(server_url: str, *, prefix: str = "dp_scratch") -> Iterator[str]:
    """The URL of a new, empty database on the server ``server_url`` names
    (any database of it), dropped afterwards even if its users are still connected."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
