"""The base of every ``dailypapers`` command: one exit-status rule, one worker loop.

An expected error (core.errors) ends a command with its message on one line
and exit status 2, never a traceback; see core.exits for the rule.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from dailypapers.core import errors, exits


class OneLineParser(CommandParser):
    """A misused command says what is wrong in one line (``--help`` shows the usage)."""

    def error(self, message):
        if not self.called_from_command_line:
            return super().error(message)
        self.exit(exits.FAILED, f"{self.prog}: {message} (see --help)\n")


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds its own parser class, and the parsers of subcommands
        # ("import snapshot") inside it: all of them say errors in one line.
        parsers = [parser]
        while parsers:
            one = parsers.pop()
            one.__class__ = OneLineParser
            for action in one._actions:
                if isinstance(action, argparse._SubParsersAction):
                    parsers += action.choices.values()
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # Django's default status for a CommandError is 1, which this
            # project's commands keep for "nothing new".
            if exc.returncode == exits.NOTHING_NEW:
                exc.returncode = exits.FAILED
            raise
        except Exception as exc:
            status = errors.exit_status(exc)
            if status is None:
                raise
            raise CommandError(errors.message(exc), returncode=status) from None

    def fail(self, message: str) -> CommandError:
        """The error to raise for a failure or a misuse: exit status 2."""
        return CommandError(message, returncode=exits.FAILED)


class LoopCommand(Command):
    """Does one round of work, or with ``--loop`` a round every ``--interval``
    seconds until SIGTERM or SIGINT, which stop it after the round in
    progress. Subclasses define ``handle_round(**options)``."""

    interval = 60.0

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, as a worker")
        parser.add_argument(
            "--interval", type=float, default=self.interval, help="seconds between rounds"
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            self.handle_round(**options)
            self.stdout.flush()
            if not loop or self._stopped(stop, interval):
                return
            # A long-lived process must not keep a connection the server dropped.
            close_old_connections()

    def _stopped(self, stop: threading.Event, interval: float) -> bool:
        """Wait out the interval; True as soon as a signal or ``keep_going`` says stop."""
        deadline = time.monotonic() + interval
        while (left := deadline - time.monotonic()) > 0:
            if stop.wait(min(left, 1.0)) or not self.keep_going():
                return True
        return False

    def keep_going(self) -> bool:
        """Checked every second between rounds; a subclass may stop the loop."""
        return True


# Argument types: argparse reports what they raise as a misuse (exit status 2).


def iso_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date (YYYY-MM-DD)") from None


def positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} must be a whole number of at least 1")
    return value


def existing_file(raw: str) -> Path:
    path = Path(raw)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{raw} is a folder, not a file")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {raw}")
    return path


def existing_folder(raw: str) -> Path:
    path = Path(raw)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"no such folder: {raw}")
    return path


def existing_path(raw: str) -> Path:
    path = Path(raw)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {raw}")
    return path
