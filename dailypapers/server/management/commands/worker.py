"""``dailypapers worker [--loop]``: run the scheduled jobs that are due.

Without ``--loop`` it runs what is due once and exits (for cron). With
``--loop`` it keeps checking, and stops cleanly on SIGTERM or SIGINT after
the job in progress.
"""

from __future__ import annotations

from dailypapers.core.commands import LoopCommand
from dailypapers.server.scheduler import all_jobs, run_due_jobs


class Command(LoopCommand):
    help = (
        "Run due scheduled jobs (daily arXiv ingest, embedding, digests); --loop to keep running."
    )
    interval = 30.0

    def handle(self, *args, loop: bool, interval: float, **options):
        if loop:
            self.stdout.write(f"worker: checking for due jobs every {interval:.0f} s")
        super().handle(*args, loop=loop, interval=interval, **options)

    def handle_round(self, **options):
        for name, outcome in run_due_jobs(all_jobs()):
            self.stdout.write(f"{name}: {outcome}")
            self.stdout.flush()
