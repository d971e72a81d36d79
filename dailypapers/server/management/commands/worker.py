"""``dailypapers worker [--loop]``: run the scheduled jobs that are due.

Without ``--loop`` it runs what is due once, waits for it and exits (for
cron). With ``--loop`` it keeps checking, each job in a thread of its own;
SIGTERM or SIGINT stop it, waiting at most ``--grace`` seconds for jobs in
progress (each commits as it goes, so one cut short resumes next time). One
worker per data directory: a second one refuses to start. ``dailypapers
run`` starts its worker with ``--exit-with-parent``, so that the worker goes
when the site does, however the site dies.
"""

from __future__ import annotations

import os

from django.conf import settings

from dailypapers.core.commands import LoopCommand
from dailypapers.core.processes import AlreadyRunning, die_with_parent, hold_lock
from dailypapers.server.scheduler import Scheduler, all_jobs


class Command(LoopCommand):
    help = (
        "Run due scheduled jobs (daily arXiv ingest, embedding, digests); --loop to keep running."
    )
    interval = 30.0

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--grace", type=float, default=10.0, help="seconds a stop waits for running jobs"
        )
        parser.add_argument(
            "--exit-with-parent", action="store_true", help="stop when the parent process ends"
        )

    def handle(self, *args, loop: bool, interval: float, grace: float, **options):
        try:
            self._lock = hold_lock(settings.DATA_DIR / "worker.lock")
        except AlreadyRunning as holder:
            raise self.fail(
                f"another worker (process {holder}) runs the jobs of {settings.DATA_DIR}"
            ) from None
        if options["exit_with_parent"]:
            self.parent = os.getppid()
            die_with_parent()
        self.scheduler = Scheduler(all_jobs())
        if loop:
            self.stdout.write(f"worker: checking for due jobs every {interval:.0f} s")
        super().handle(*args, loop=loop, interval=interval, **options)
        # Stopped, or one round done: what is still running gets the grace period.
        self.scheduler.wait(timeout=grace if loop else None)
        self._report()

    def handle_round(self, **options):
        self._report()
        self.scheduler.start_due()

    def keep_going(self) -> bool:
        return not hasattr(self, "parent") or os.getppid() == self.parent

    def _report(self) -> None:
        for name, outcome in self.scheduler.finished():
            self.stdout.write(f"{name}: {outcome}")
        self.stdout.flush()
