"""Running the scheduled jobs of every app, by `dailypapers worker` (and `dailypapers run`).

Any number of workers may run: a job is claimed with a conditional update of
its state row, so only one of them runs it. A failed job is retried after a
pause; its error stays on the state row (and in the admin) until it succeeds.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from importlib import import_module

from django.apps import apps
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from dailypapers.core.schedule import Job
from dailypapers.server.models import JobState

log = logging.getLogger(__name__)


def all_jobs() -> list[Job]:
    """Every app's jobs (its ``jobs.jobs()``), in the order of INSTALLED_APPS,
    which is the order they run in when several are due: new papers first
    (ingest), then their vectors (search), then the digests that announce them."""
    found: list[Job] = []
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "jobs"):
            found += import_module(f"{app.name}.jobs").jobs()
    return found


def run_due_jobs(jobs: Sequence[Job], *, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Run every job that is due and not claimed by another worker; (name, outcome) each."""
    outcomes = []
    for job in jobs:
        now_ = now or timezone.now()
        state, _ = JobState.objects.get_or_create(name=job.name)
        if not job.due(state, now_):
            continue
        claimed = JobState.objects.filter(
            pk=state.pk, last_started_at=state.last_started_at
        ).update(last_started_at=now_)
        if not claimed:
            continue  # another worker took it
        try:
            summary = job.run(state.last_success_at)
        except Exception as exc:
            log.exception("job %s failed", job.name)
            message = f"{type(exc).__name__}: {exc}"[:4000]
            JobState.objects.filter(pk=state.pk).update(
                last_finished_at=timezone.now(),
                last_error=message,
                runs=F("runs") + 1,
                failures=F("failures") + 1,
            )
            outcomes.append((job.name, f"failed: {message}"))
        else:
            JobState.objects.filter(pk=state.pk).update(
                last_finished_at=timezone.now(),
                last_success_at=now_,
                last_error="",
                last_summary=summary[:4000],
                runs=F("runs") + 1,
            )
            outcomes.append((job.name, summary))
    return outcomes
