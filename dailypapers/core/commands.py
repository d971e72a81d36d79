"""The base of every ``dailypapers`` command: one exit-status rule, one worker loop.

An expected error (core.errors) ends a command with its message on one line
and exit status 2, never a traceback; see core.exits for the rule.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from dailypapers.core import errors, exits


class Command(BaseCommand):
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
            if not loop or stop.wait(interval):
                return
            # A long-lived process must not keep a connection the server dropped.
            close_old_connections()
