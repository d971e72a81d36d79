"""The storage floor of benchmarks/import_snapshot.py: only the writing.

Every line is parsed and merged into a new paper first, its row prepared, as
the importer's reading process does (not timed); then the papers are written
with the importer's own insert (rows, the full-text index, a commit per batch
of the importer's size), timed. No import can be faster
than this with the same schema and index, so it bounds the ratio to the
one-at-a-time baseline that any change to the Python side could reach.

    python benchmarks/_storage_only.py FILE   (prints papers/s)
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dailypapers.ingest.services import SNAPSHOT_BATCH  # noqa: E402
from dailypapers.ingest.snapshot import SnapshotFile, parse_lines  # noqa: E402
from dailypapers.papers.bulk import insert_papers  # noqa: E402


def main(path: str) -> None:
    with SnapshotFile(Path(path)) as source:
        parsed = parse_lines(list(source.lines()))
    now = timezone.now()
    # The importer's drafts: each new paper merged and its row made in advance.
    papers = [draft for _, draft in parsed if not isinstance(draft, str)]
    for draft in papers:
        draft.created_at = draft.modified_at = now
    start = time.perf_counter()
    for first in range(0, len(papers), SNAPSHOT_BATCH):
        with transaction.atomic():
            insert_papers(papers[first : first + SNAPSHOT_BATCH])
    elapsed = time.perf_counter() - start
    print(f"{len(papers) / elapsed:.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
