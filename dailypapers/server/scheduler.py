"""Running the scheduled jobs of every app, by `dailypapers worker` (and `dailypapers run`).

Any number of workers may run: a job is claimed with a conditional update of
its state row, so only one of them runs it, and nobody starts it again while
it runs (a claim older than LEASE is taken over: its worker died). Each job
runs in a thread of its own, so that a slow one (an unreachable arXiv, a
long embedding) holds up none of the others. A failed job is tried again
after a pause; its error stays on the state row (and in the admin) until it
succeeds. An expected failure (core.errors: arXiv unreachable) is one warning
line; anything else is logged with its traceback, as the bug it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Sequence
from importlib import import_module

from django.apps import apps
from django.db import connections
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from dailypapers.core import errors
from dailypapers.core.schedule import Job
from dailypapers.server.models import JobState

log = logging.getLogger(__name__)
LEASE = dt.timedelta(hours=1)


def all_jobs() -> list[Job]:
    """Every app's jobs (its ``jobs.jobs()``), in the order of INSTALLED_APPS:
    new papers first (ingest), then their vectors (search), then the digests
    that announce them."""
    found: list[Job] = []
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "jobs"):
            found += import_module(f"{app.name}.jobs").jobs()
    return found


def _running(state: JobState, now: dt.datetime) -> bool:
    started, finished = state.last_started_at, state.last_finished_at
    return bool(started and (finished is None or finished < started) and started > now - LEASE)


def _claim(job: Job, now: dt.datetime) -> JobState | None:
    """The job's state if it is due and this worker won it, else None."""
    state, _ = JobState.objects.get_or_create(name=job.name)
    if _running(state, now) or not job.due(state, now):
        return None
    won = JobState.objects.filter(pk=state.pk, last_started_at=state.last_started_at).update(
        last_started_at=now
    )
    return state if won else None


def _run(job: Job, state: JobState, started_at: dt.datetime) -> str:
    """Run a claimed job and record how it ended; its one-line outcome."""
    try:
        summary = job.run(state.last_success_at)
    except Exception as exc:
        if errors.exit_status(exc) is None:
            log.exception("job %s failed", job.name)
            message = f"{type(exc).__name__}: {exc}"[:4000]
        else:
            message = errors.message(exc)[:4000]
            log.warning("job %s failed: %s (it is tried again later)", job.name, message)
        JobState.objects.filter(pk=state.pk).update(
            last_finished_at=timezone.now(),
            last_error=message,
            runs=F("runs") + 1,
            failures=F("failures") + 1,
        )
        return f"failed: {message}"
    JobState.objects.filter(pk=state.pk).update(
        last_finished_at=timezone.now(),
        last_success_at=started_at,
        last_error="",
        last_summary=summary[:4000],
        runs=F("runs") + 1,
    )
    return summary


class Scheduler:
    """The jobs this process runs, each in a thread of its own while it runs."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = list(jobs)
        self._threads: dict[str, threading.Thread] = {}
        self._outcomes: queue.Queue[tuple[str, str]] = queue.Queue()

    def start_due(self, *, now: dt.datetime | None = None) -> list[str]:
        """Start every job that is due, not running here and not claimed elsewhere."""
        started = []
        for job in self.jobs:
            thread = self._threads.get(job.name)
            if thread is not None and thread.is_alive():
                continue
            at = now or timezone.now()
            state = _claim(job, at)
            if state is None:
                continue
            thread = threading.Thread(
                target=self._run_in_thread, args=(job, state, at), name=f"job-{job.name}"
            )
            thread.daemon = True  # a worker told to stop does not wait for a long job
            self._threads[job.name] = thread
            thread.start()
            started.append(job.name)
        return started

    def _run_in_thread(self, job: Job, state: JobState, at: dt.datetime) -> None:
        try:
            self._outcomes.put((job.name, _run(job, state, at)))
        finally:
            connections.close_all()  # this thread's connections

    def finished(self) -> list[tuple[str, str]]:
        """(name, outcome) of the jobs that ended since the last call."""
        done = []
        while not self._outcomes.empty():
            done.append(self._outcomes.get())
        return done

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the running jobs, at most ``timeout`` seconds; whether all ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads.values()):
            thread.join(None if deadline is None else max(deadline - time.monotonic(), 0))
        return not any(thread.is_alive() for thread in self._threads.values())


def run_due_jobs(jobs: Sequence[Job], *, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Run every due job at once, each in its thread, and wait for all: (name,
    outcome) each, in the order of ``jobs``."""
    scheduler = Scheduler(jobs)
    started = scheduler.start_due(now=now)
    scheduler.wait()
    outcomes = dict(scheduler.finished())
    return [(name, outcomes[name]) for name in started]
