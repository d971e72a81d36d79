"""``dailypapers worker [--loop]``: run the scheduled jobs that are due.

Without ``--loop`` it runs what is due once and exits (for cron). With
``--loop`` it keeps checking, and stops cleanly on SIGTERM or SIGINT after
the job in progress.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from dailypapers.server.jobs import all_jobs
from dailypapers.server.scheduler import run_due_jobs


class Command(BaseCommand):
    help = "Run due scheduled jobs (daily arXiv ingest, ...); --loop to keep running."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks")

    def handle(self, *args, loop: bool, interval: float, **options):
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            self.stdout.write(f"worker: checking for due jobs every {interval:.0f} s")
        while True:
            for name, outcome in run_due_jobs(all_jobs()):
                self.stdout.write(f"{name}: {outcome}")
                self.stdout.flush()
            if not loop or stop.wait(interval):
                return
            # A long-lived process must not keep a connection the server dropped.
            close_old_connections()
