"""The account an import gives of itself: what it read, changed and skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

from dailypapers.core import exits
from dailypapers.papers.services import UpsertResult

# An operator reads the summary; past this many lines the rest are counted.
MAX_PROBLEM_LINES = 50


@dataclass(frozen=True)
class Problem:
    where: str  # file, and entry or line number within it
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportReport:
    source: str
    files: int = 0
    entries: int = 0
    skipped: int = 0
    result: UpsertResult = field(default_factory=UpsertResult)
    problems: list[Problem] = field(default_factory=list)
    # Set when an interrupted import was continued rather than started over.
    resumed_after_line: int | None = None

    def problem(self, where: str, message: str, *, skipped: int = 1) -> None:
        self.problems.append(Problem(where, message))
        self.skipped += skipped

    def merge(self, other: ImportReport) -> None:
        self.files += other.files
        self.entries += other.entries
        self.skipped += other.skipped
        self.result.add(other.result)
        self.problems.extend(other.problems)

    @property
    def changed(self) -> bool:
        return self.result.changed

    def summary_lines(self) -> list[str]:
        r = self.result
        lines = [
            f"{self.source}: {self.files} file(s), {self.entries} entries read, "
            f"{self.skipped} skipped",
            f"  papers: {r.created} new, {r.updated} updated, {r.unchanged} unchanged",
            *(
                [f"  resumed after line {self.resumed_after_line} of an interrupted import"]
                if self.resumed_after_line
                else []
            ),
            f"  listings: {r.listings_created} new, {r.listings_updated} updated",
        ]
        if self.problems:
            lines.append(f"  problems ({len(self.problems)}):")
            lines += [f"    {problem}" for problem in self.problems[:MAX_PROBLEM_LINES]]
            if len(self.problems) > MAX_PROBLEM_LINES:
                lines.append(f"    ... and {len(self.problems) - MAX_PROBLEM_LINES} more")
        return lines


def exit_status(reports: list[ImportReport], *, strict: bool) -> int:
    """0 if something new arrived, 1 if nothing did, 2 with ``strict`` and a skip (core.exits)."""
    if strict and any(report.problems for report in reports):
        return exits.FAILED
    return exits.DONE if any(report.changed for report in reports) else exits.NOTHING_NEW
