"""``dailypapers digests send [--loop]``: plan due digests and send them.

One round by default (idempotent: a second run right after sends nothing
new); ``--loop`` keeps doing it as a worker, stopping cleanly on SIGTERM or
SIGINT after the message in progress. Several can run at once: each message
is claimed by one of them (digests/delivery.py). The worker started by
`dailypapers run` also runs it every minute.
"""

from __future__ import annotations

from dailypapers.core.commands import LoopCommand
from dailypapers.digests.delivery import send_due


class Command(LoopCommand):
    help = "Send the email digests that are due (double opt-in subscribers only)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])
        super().add_arguments(parser)
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="sender processes sharing the outbox (up to the number of cores helps)",
        )

    def handle_round(self, *, processes: int, **options):
        self.stdout.write(send_due(processes=max(1, processes)).summary())
