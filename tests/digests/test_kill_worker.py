"""The sending worker killed in the middle of a run: its sender processes go with it,
and restarted, every subscriber still gets exactly one digest. Real processes, a real SMTP
server, the site's own database."""

from __future__ import annotations

import contextlib
import os
import signal
import time

import psutil
import pytest

from tests.conftest import SEED_FILE
from tests.processes import site
from tests.smtp_sink import SinkServer, SmtpSink

pytestmark = pytest.mark.slow

SUBSCRIBERS = 10
SETUP = f"""
import datetime as dt
from django.utils import timezone
from dailypapers.digests.models import Subscription
from dailypapers.papers.models import Listing, Paper
yesterday = timezone.now() - dt.timedelta(days=1)
for paper in Paper.objects.order_by("pk")[:5]:
    Listing.objects.create(paper=paper, day=yesterday.date(), status="featured", source="curator",
                           submitted_at=yesterday.replace(hour=12))
for i in range({SUBSCRIBERS}):
    Subscription.objects.create(email=f"reader{{i}}@example.org", status="active",
                                confirmed_at=timezone.now() - dt.timedelta(days=30))
"""


@pytest.mark.django_db
def test_killed_mid_run_then_restarted_sends_each_digest_once(tmp_path):
    sink = SmtpSink(hold_message=SUBSCRIBERS // 2 + 1)
    with SinkServer(sink) as server, site(tmp_path, **server.env) as s:
        s.env.update(DIGEST_SEND_HOUR="0", DIGEST_MAX_PER_SECOND="0", DIGEST_LEASE_SECONDS="2",
                     SEARCH_EMBEDDINGS="0")  # fmt: skip
        s.run("migrate", "-v0")
        s.run("import", "seed", str(SEED_FILE), "--no-progress")
        s.run("shell", "-c", SETUP)

        worker = s.start("digests", "send")
        assert sink.held.wait(120), "the worker never reached the held message"
        os.killpg(worker.pid, signal.SIGKILL)  # mid-message: sent, not yet acknowledged
        worker.wait(30)
        sink.release.set()
        assert len(sink.messages) == SUBSCRIBERS // 2
        states = dict(s.query("SELECT status, COUNT(*) FROM digests_delivery GROUP BY status"))
        # Its batch stays claimed ("sending") until the claim's lease expires.
        assert states == {"sent": 5, "sending": 5}, states

        time.sleep(2.5)  # the killed worker's claim expires
        sink.hold_message = None
        result = s.run("digests", "send")
        assert "5 sent" in result.stdout, result.stdout
        s.run("digests", "send")  # and once more: nothing new
        recipients = sorted(str(m["To"]) for m in sink.messages)
        assert recipients == sorted(f"reader{i}@example.org" for i in range(SUBSCRIBERS))
        assert (
            s.scalar("SELECT COUNT(*) FROM digests_delivery WHERE status = 'sent'") == SUBSCRIBERS
        )


@pytest.mark.django_db
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_sender_processes_die_with_their_parent(tmp_path, sig):
    sink = SmtpSink(hold_message=1)
    with SinkServer(sink) as server, site(tmp_path, **server.env) as s:
        s.env.update(DIGEST_SEND_HOUR="0", DIGEST_MAX_PER_SECOND="0", SEARCH_EMBEDDINGS="0")
        s.run("migrate", "-v0")
        s.run("import", "seed", str(SEED_FILE), "--no-progress")
        s.run("shell", "-c", SETUP)
        parent = s.start("digests", "send", "--processes", "2")
        try:
            assert sink.held.wait(120), "no sender reached the SMTP server"
            children = psutil.Process(parent.pid).children(recursive=True)
            assert len(children) == 2
            os.kill(parent.pid, sig)  # the parent alone, as a crash or an operator would
            parent.wait(30)
            gone, alive = psutil.wait_procs(children, timeout=15)
            assert not alive, f"orphaned senders: {[p.pid for p in alive]}"
        finally:
            sink.release.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(parent.pid, signal.SIGKILL)
