"""Exit statuses of the import and ingest commands, for operators' scripts.

0: finished and something new arrived (papers or listings created or updated)
1: finished and nothing new arrived
2: failed (arXiv unreachable, a file missing), or ``--strict`` and something
   was skipped
"""

NEW = 0
NOTHING_NEW = 1
FAILED = 2


def for_reports(reports, *, strict: bool) -> int:
    if strict and any(report.problems for report in reports):
        return FAILED
    return NEW if any(report.changed for report in reports) else NOTHING_NEW
