"""Errors whose message is for a person, and what each means over HTTP and on exit.

Apps raise subclasses of these (a refused submission, an unreachable arXiv,
a damaged file), and Django's own ValidationError, PermissionDenied and
Http404. ``http_status`` and ``exit_status`` are the one table that the JSON
API, the pages and the commands answer all of them by.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from dailypapers.core import exits


class Problem(Exception):
    """What was asked cannot be done; ``str()`` says why, in the asker's words."""

    http_status = 400


class Invalid(Problem):
    """The input is wrong: a malformed id, a damaged file, a forged token."""


class NotFound(Problem):
    http_status = 404


class Forbidden(Problem):
    http_status = 403


class Unavailable(Problem):
    """A service this site depends on (arXiv) failed or gave an unusable answer."""

    http_status = 503


_DJANGO = ((Http404, 404), (PermissionDenied, 403), (ValidationError, 400))


def http_status(exc: Exception) -> int | None:
    """The HTTP status of an expected error, None for a bug (a 500)."""
    if isinstance(exc, Problem):
        return exc.http_status
    return next((status for kind, status in _DJANGO if isinstance(exc, kind)), None)


def exit_status(exc: Exception) -> int | None:
    """The exit status of an expected error, None for a bug (a traceback)."""
    return exits.FAILED if http_status(exc) is not None else None


def message(exc: Exception) -> str:
    """The sentence to show: ValidationError keeps its messages in a list."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
