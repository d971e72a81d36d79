"""The baseline of benchmarks/import_snapshot.py: one paper at a time through the ORM.

What a first importer would do: parse a line, then `update_or_create` the
paper by its arXiv id (a transaction per paper). Parsing is the same code as
the real import, so the difference is the storing.

    python benchmarks/_one_at_a_time.py FILE COUNT   (prints papers/s)
"""

import gzip
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
import django  # noqa: E402

django.setup()

from dailypapers.ingest.errors import LineError  # noqa: E402
from dailypapers.ingest.snapshot import line_record  # noqa: E402
from dailypapers.papers.models import Paper  # noqa: E402


def main(path: str, count: int) -> None:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        lines = [next(handle) for _ in range(count)]
    start = time.perf_counter()
    for line in lines:
        try:
            record = line_record(line)
        except LineError:
            continue
        found = record.found_links()
        Paper.objects.update_or_create(
            arxiv_id=record.arxiv_id,
            defaults=dict(
                version=record.version,
                title=record.title,
                title_key=record.title_key,
                abstract=record.abstract,
                authors=record.authors,
                authors_count=len(record.authors),
                categories=" ".join(record.categories),
                primary_category=record.categories[0] if record.categories else "",
                published_at=record.published_at,
                updated_at=record.updated_at,
                comments=record.comments,
                doi=record.doi,
                journal_ref=record.journal_ref,
                report_no=record.report_no,
                license=record.license,
                links=[link.as_dict() for link in found],
                code_url=next((x.url for x in found if x.kind == "code"), ""),
                project_url=next((x.url for x in found if x.kind == "project"), ""),
                metadata_source=record.source,
                metadata_observed_at=record.observed_at,
            ),
        )
    elapsed = time.perf_counter() - start
    print(f"{count / elapsed:.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
