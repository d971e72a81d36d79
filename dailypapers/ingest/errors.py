"""What can go wrong bringing papers in, each a kind of core.errors: the API,
the pages and the commands answer them by that one table (HTTP and exit status)."""

from __future__ import annotations

from dailypapers.core.errors import Invalid, Problem, Unavailable


class SourceError(Unavailable):
    """arXiv could not be asked, or answered with an error: try again later."""


class FetchError(SourceError):
    """A request failed for good; the message says which and why."""


class MalformedResponse(SourceError, ValueError):
    """The body arrived but cannot be parsed (truncated or not the expected format)."""


class ArxivApiError(SourceError):
    """arXiv's query API answered with an error feed (e.g. a malformed id)."""


class OaiError(SourceError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}")
        self.code = code


class SnapshotError(Invalid):
    """The file itself cannot be read on (a truncated or damaged download)."""


class FileChanged(Exception):
    """The file does not begin with the lines an interrupted import stored from it:
    it is read from its start instead of resumed."""


class ReadingProcessError(Problem):
    """The process reading the file stopped or failed (killed, out of memory, a bug)."""


# A file or one entry of it that an import reports and skips; they never
# reach a person as an error of their own.
class DayFileError(Invalid, ValueError):
    """A Daily Papers day file as a whole cannot be read."""


class EntryError(Invalid, ValueError):
    """One entry of a day file cannot be used."""


class SeedFileError(Invalid, ValueError):
    """A saved page cannot be read."""


class LineError(Invalid, ValueError):
    """One line of a snapshot cannot be used; the message says why."""
