"""The process that reads and parses a snapshot while its parent writes.

Its entry point runs before Django is set up in that process, so this
module imports nothing of the project's models at module level.
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import traceback
from multiprocessing.queues import Queue
from pathlib import Path

import django


def produce(
    *, path: Path, after_line: int, chunk_lines: int, database_name: str, chunks: Queue
) -> None:
    """Put each chunk of ``snapshot.read_chunks`` on ``chunks``, then None.

    A damaged file is put there as its SnapshotError, any other failure as
    its traceback, for the parent to raise.
    """
    try:
        django.setup()
        from django.db import connection

        from dailypapers.ingest.snapshot import read_chunks

        # The parent's name for the database, which a test run has changed:
        # parsing asks which papers are stored (snapshot.parse_lines).
        connection.settings_dict["NAME"] = database_name
        for chunk in read_chunks(path, after_line=after_line, chunk_lines=chunk_lines):
            _put(chunks, chunk)
        _put(chunks, None)
    except ParentGone:
        # Nobody will read what is still buffered: do not wait to flush it.
        chunks.cancel_join_thread()
    except BaseException as exc:
        snapshot = sys.modules.get("dailypapers.ingest.snapshot")
        if snapshot is not None and isinstance(exc, snapshot.SnapshotError):
            _put(chunks, exc)  # a damaged file: the parent says so and stops
            return
        chunks.put(traceback.format_exc())
        raise
    finally:
        # A process ends here without running exit handlers: the database
        # should not learn of it only from a dropped connection.
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()


class ParentGone(Exception):
    """The writing process is gone (killed, say): reading on is pointless."""


def _put(chunks: Queue, item: object) -> None:
    # A parent killed with SIGKILL never stops its children: a reader blocked
    # on a full queue would wait forever. It looks up every second instead.
    parent = multiprocessing.parent_process()
    while True:
        try:
            chunks.put(item, timeout=1.0)
            return
        except queue.Full:
            if parent is None or not parent.is_alive():
                raise ParentGone from None
