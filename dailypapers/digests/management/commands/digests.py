"""``dailypapers digests send [--loop]``: plan due digests and send them.

One shot by default (idempotent: a second run right after sends nothing
new); ``--loop`` keeps doing it as a worker, stopping cleanly on SIGTERM or
SIGINT after the message in progress. Several can run at once: each message
is claimed by one of them (digests/delivery.py). The worker started by
`dailypapers run` also runs it every minute.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from dailypapers.digests.delivery import send_due


class Command(BaseCommand):
    help = "Send the email digests that are due (double opt-in subscribers only)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="sender processes sharing the outbox (up to the number of cores helps)",
        )

    def handle(self, *args, loop: bool, interval: float, processes: int, **options):
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            report = send_due(processes=max(1, processes))
            self.stdout.write(report.summary())
            self.stdout.flush()
            if not loop or stop.wait(interval):
                return
            close_old_connections()
