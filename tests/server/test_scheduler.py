"""Scheduled jobs: when they are due, claiming, failures, and the worker command."""

import datetime as dt
import io
import threading
import time

import pytest
import time_machine
from django.core.management import call_command

from dailypapers.core.schedule import RETRY_AFTER, Job, daily_at, every
from dailypapers.papers.models import Listing
from dailypapers.server.models import JobState
from dailypapers.server.scheduler import LEASE, Scheduler, run_due_jobs
from tests.ingest.arxiv_fixtures import add_cs_harvest
from tests.replay import ANY, ReplayServer

# Jobs run in threads of their own, with connections of their own: they must
# see committed rows, not this test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)
UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_daily_at_is_due_once_a_day_after_its_time():
    due = daily_at("02:00")
    fresh = JobState(name="x")
    assert due(fresh, at(2025, 10, 8, 1, 0))  # never ran: yesterday's slot is due
    done = JobState(
        name="x", last_started_at=at(2025, 10, 8, 2, 0), last_success_at=at(2025, 10, 8, 2, 0)
    )
    assert not due(done, at(2025, 10, 8, 23, 59))
    assert due(done, at(2025, 10, 9, 2, 0))


def test_a_failed_daily_job_is_retried_after_a_pause():
    due = daily_at("02:00")
    failed = JobState(
        name="x", last_started_at=at(2025, 10, 8, 2, 0), last_success_at=at(2025, 10, 7, 2, 0)
    )
    assert not due(failed, at(2025, 10, 8, 2, 5))
    assert due(failed, at(2025, 10, 8, 2, 0) + RETRY_AFTER)


def test_every():
    due = every(dt.timedelta(minutes=10))
    assert due(JobState(name="x"), at(2025, 1, 1))
    assert not due(JobState(name="x", last_started_at=at(2025, 1, 1, 0, 0)), at(2025, 1, 1, 0, 9))


def test_run_due_jobs_records_success_and_failure():
    calls = []

    def ok(last):
        calls.append(last)
        return "did it"

    def broken(last):
        raise RuntimeError("arXiv is down")

    jobs = [
        Job("ok", ok, every(dt.timedelta(hours=1))),
        Job("broken", broken, every(dt.timedelta(hours=1))),
    ]
    now = at(2025, 10, 8, 12, 0)
    assert run_due_jobs(jobs, now=now) == [
        ("ok", "did it"),
        ("broken", "failed: RuntimeError: arXiv is down"),
    ]
    ok_state, broken_state = JobState.objects.get(name="ok"), JobState.objects.get(name="broken")
    assert (
        ok_state.last_success_at == now and ok_state.runs == 1 and ok_state.last_summary == "did it"
    )
    assert broken_state.last_success_at is None and broken_state.failures == 1
    assert broken_state.last_error == "RuntimeError: arXiv is down"
    assert run_due_jobs(jobs, now=now + dt.timedelta(minutes=5)) == []  # not due again yet
    run_due_jobs(jobs, now=now + dt.timedelta(hours=2))
    assert calls == [None, now]  # the job learns when it last succeeded


def test_a_job_claimed_by_another_worker_is_skipped():
    state = JobState.objects.create(name="x")
    ran = []
    job = Job("x", lambda last: ran.append(1) or "ran", every(dt.timedelta(hours=1)))
    # Another worker claims it between our read and our update.
    original_get = JobState.objects.get_or_create

    def get_or_create_then_lose_the_race(**kwargs):
        row, created = original_get(**kwargs)
        JobState.objects.filter(pk=state.pk).update(last_started_at=at(2025, 1, 1))
        return row, created

    JobState.objects.get_or_create = get_or_create_then_lose_the_race
    try:
        assert run_due_jobs([job], now=at(2025, 1, 1, 0, 1)) == []
    finally:
        JobState.objects.get_or_create = original_get
    assert ran == []


def test_the_worker_runs_the_daily_arxiv_ingest(settings):
    settings.ARXIV_MIN_INTERVAL = 0
    settings.ARXIV_CATEGORIES = ["cs.LG"]
    settings.ARXIV_INGEST_AT = "02:00"
    with ReplayServer() as server, time_machine.travel(at(2015, 1, 18, 3, 0), tick=False):
        # The job asks from three days before its last success (none yet: today).
        add_cs_harvest(
            server,
            first_query={
                "verb": "ListRecords",
                "metadataPrefix": "arXiv",
                "set": "cs",
                "from": ANY,
            },
        )
        settings.ARXIV_OAI_URL = server.url + "/oai"
        out = io.StringIO()
        call_command("worker", stdout=out)
        assert server.requests[0].query["from"] == "2015-01-15"
    assert "arxiv-daily: since 2015-01-15: 46 records" in out.getvalue()
    state = JobState.objects.get(name="arxiv-daily")
    assert state.last_success_at == at(2015, 1, 18, 3, 0) and not state.last_error
    assert Listing.objects.filter(status=Listing.Status.CANDIDATE).exists()


def test_a_slow_job_holds_up_no_other_and_is_not_started_twice():
    release = threading.Event()
    jobs = [
        Job("slow", lambda last: "slow" if release.wait(20) else "timed out", every(MINUTE)),
        Job("quick", lambda last: "quick", every(MINUTE)),
    ]
    scheduler = Scheduler(jobs)
    assert scheduler.start_due(now=at(2025, 1, 1, 0, 0)) == ["slow", "quick"]
    deadline = time.monotonic() + 10
    done = []
    while not done:
        done = scheduler.finished()
        assert time.monotonic() < deadline, "the quick job waited for the slow one"
        time.sleep(0.05)
    assert done == [("quick", "quick")]
    # A round later the quick job is due again; the slow one is still running.
    assert scheduler.start_due(now=at(2025, 1, 1, 0, 2)) == ["quick"]
    release.set()
    assert scheduler.wait(timeout=20)
    assert sorted(scheduler.finished()) == [("quick", "quick"), ("slow", "slow")]


def test_a_job_running_in_another_worker_is_left_alone_until_its_lease_ends():
    started = at(2025, 1, 1, 0, 0)
    JobState.objects.create(name="x", last_started_at=started)  # running elsewhere
    job = Job("x", lambda last: "ran", every(MINUTE))
    assert run_due_jobs([job], now=started + dt.timedelta(minutes=30)) == []
    assert run_due_jobs([job], now=started + LEASE + MINUTE) == [("x", "ran")]
