"""The process that reads and parses a snapshot while its parent writes.

Its entry point runs before Django is set up in that process, so this
module imports nothing of the project's models at module level.
"""

from __future__ import annotations

import sys
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

import django


def produce(
    *,
    path: Path,
    after_line: int,
    crc_until_then: int | None,
    chunk_lines: int,
    database_name: str,
    sender: Connection,
) -> None:
    """Send each chunk of ``snapshot.read_chunks`` to the parent, then None.

    A damaged or changed file is sent as its error, any other failure as its
    traceback, for the parent to raise. Sending waits while the parent is
    busy, which bounds memory; if the parent is gone (killed, say), sending
    fails and this process ends.
    """
    try:
        django.setup()
        from django.db import connection

        from dailypapers.ingest.snapshot import read_chunks

        # The parent's name for the database, which a test run has changed:
        # parsing asks which papers are stored (snapshot.parse_lines).
        connection.settings_dict["NAME"] = database_name
        chunks = read_chunks(
            path, after_line=after_line, chunk_lines=chunk_lines, crc_until_then=crc_until_then
        )
        for chunk in chunks:
            sender.send(chunk)
        sender.send(None)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent is gone: nobody to tell
    except BaseException as exc:
        errors = sys.modules.get("dailypapers.ingest.errors")
        if errors is not None and isinstance(exc, errors.SnapshotError | errors.FileChanged):
            sender.send(exc)  # a damaged or changed file: the parent knows what to do
            return
        sender.send(traceback.format_exc())
        raise
    finally:
        sender.close()
        # A process ends here without running exit handlers: the database
        # should not learn of it only from a dropped connection.
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
