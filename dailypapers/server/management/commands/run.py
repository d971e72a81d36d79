"""``dailypapers run``: everything the embedded default needs, in one command.

Migrates the database, imports the real data on the first start, collects
static files (when they changed), starts the worker for scheduled jobs and
serves the site with gunicorn.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

from dailypapers.core.commands import Command as BaseCommand
from dailypapers.core.env import env_int
from dailypapers.ingest.services import default_data_import
from dailypapers.papers.models import Paper
from dailypapers.server.http import serve
from dailypapers.server.static_files import collect_static

WORKER_NICENESS = 10


class Command(BaseCommand):
    help = "Migrate, import the default data on first start, and serve the site."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", 2, minimum=1))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-import", action="store_true", help="skip the first-start import")
        parser.add_argument("--no-worker", action="store_true", help="do not run scheduled jobs")

    def handle(self, *args, host, port, workers, threads, no_import, no_worker, **options):
        # Creates the cache tables too (server/apps.py).
        call_command("migrate", interactive=False, verbosity=1)
        if not no_import and not Paper.objects.exists():
            self._first_import()
        collect_static()
        if host not in ("0.0.0.0", "::") and host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)
        root = _site_root(host, port)
        worker = self._start_worker() if settings.RUN_WORKER and not no_worker else None
        self.stdout.write(f"Serving {settings.SITE_NAME} at {root}/ (data in {settings.DATA_DIR})")
        self.stdout.flush()
        try:
            serve(host=host, port=port, workers=workers, threads=threads)
        finally:
            if worker:
                _stop(worker)

    def _start_worker(self) -> subprocess.Popen:
        """The scheduled jobs (daily arXiv ingest, ...) in a process of their own,
        which ends with this one however this one ends."""
        self.stdout.write("Starting the worker for scheduled jobs (dailypapers worker --loop)")
        self.stdout.flush()
        return subprocess.Popen(
            [sys.executable, "-m", "dailypapers.cli", "worker", "--loop", "--exit-with-parent"],
            # Pages first: embedding a fresh site's backlog takes the CPU that
            # readers leave, and no page waits for it.
            preexec_fn=lambda: os.nice(WORKER_NICENESS),
        )

    def _first_import(self) -> None:
        source = settings.SHARED_DATA_DIR
        if not source.is_dir():
            self.stderr.write(
                f"No default data at {source}: starting empty. Set DAILYPAPERS_SHARED_DATA "
                "or use `dailypapers import`."
            )
            return
        self.stdout.write(f"First start: importing the real data in {source}")
        for report in default_data_import(data_dir=source):
            for line in report.summary_lines():
                self.stdout.write(line)


def _site_root(host: str, port: int) -> str:
    """Links in mails, feeds and the API point where the site runs, unless
    SITE_ROOT says where the public finds it (behind a proxy). Set in the
    environment too, for the worker, which sends the mails."""
    if os.environ.get("SITE_ROOT"):
        return settings.SITE_ROOT
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    root = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
    os.environ["SITE_ROOT"] = settings.SITE_ROOT = root
    return root


def _stop(worker: subprocess.Popen) -> None:
    """SIGTERM, then the worker's grace period and a little more, then SIGKILL."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
