"""Delivering digests through the outbox (models.Delivery), exactly once.

1. **Plan**: for each active subscription whose last complete period is due,
   insert its Delivery row; the unique (subscription, period) constraint makes
   planning idempotent, so any number of runs and workers plan each digest
   once. Only the latest period is planned: a site that was down for three
   days sends one digest, not three.
2. **Claim**: a worker takes a batch of rows with one conditional UPDATE
   (pending and due, or "sending" with an expired lease), tagging them with
   its own id; only rows it tagged are its own.
3. **Send**: compose, render, hand to SMTP, and mark the row sent right
   after the server's acceptance, before the next message. A row is never
   sent twice unless a worker dies in the instant between the server
   accepting a message and that commit; the row's lease then expires and it is
   sent again with the same Message-ID (which receivers use to discard
   repeats). A worker killed at any other moment loses nothing and repeats
   nothing: messages before were committed, the one in flight was not
   accepted.
4. **Failures**: a temporary one (4xx, connection refused or dropped,
   timeout) puts the row back with exponential backoff until
   DIGEST_MAX_ATTEMPTS; a permanent one (5xx) or a suppressed address marks it
   failed with the reason. Sending is paced to DIGEST_MAX_PER_SECOND.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import socket
import time
import uuid
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from dailypapers.core.email import delivery_connection, is_temporary
from dailypapers.core.processes import die_with_parent
from dailypapers.digests.compose import PeriodPool, compose
from dailypapers.digests.models import Delivery, Subscription, Suppression
from dailypapers.digests.periods import DigestPeriod, is_due, last_complete
from dailypapers.digests.render import PaperBlocks, message_id, render_digest

log = logging.getLogger(__name__)
CLAIM_BATCH = 200


@dataclass
class DeliveryReport:
    planned: int = 0
    sent: int = 0
    empty: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"digests: {self.planned} planned, {self.sent} sent, {self.empty} with nothing to send, "
            f"{self.retried} to retry, {self.failed} failed"
        )


def plan(*, now: dt.datetime | None = None) -> int:
    """Create the Delivery rows of every due period; returns how many were new."""
    now = now or timezone.now()
    groups: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
    for sub in Subscription.objects.filter(status=Subscription.Status.ACTIVE).only(
        "pk", "cadence", "time_zone", "confirmed_at"
    ):
        groups[(sub.cadence, sub.time_zone)].append(sub)
    rows = []
    for (cadence, tz), subs in groups.items():
        period = last_complete(cadence=cadence, tz=tz, now=now)
        if not is_due(period, now=now):
            continue
        for sub in subs:
            # Nothing for periods that ended before the subscriber confirmed.
            if sub.confirmed_at and sub.confirmed_at >= period.ends_at:
                continue
            rows.append(
                Delivery(
                    subscription_id=sub.pk,
                    period_start=period.start,
                    period_end=period.end,
                    next_attempt_at=now,
                )
            )
    before = Delivery.objects.count()
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Delivery.objects.count() - before


def _claim(worker: str, now: dt.datetime) -> list[Delivery]:
    claimable = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, lease_until__lt=now
    )
    lease = now + dt.timedelta(seconds=settings.DIGEST_LEASE_SECONDS)
    with transaction.atomic():
        # PostgreSQL: rows another sender is claiming right now are skipped,
        # not waited for. SQLite has one writer at a time anyway.
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(claimable)
            .order_by("pk")
            .values_list("pk", flat=True)[:CLAIM_BATCH]
        )
        if not ids:
            return []
        # The same condition again: only rows still claimable become ours.
        Delivery.objects.filter(claimable, pk__in=ids).update(
            status=Delivery.Status.SENDING, claimed_by=worker, lease_until=lease
        )
    return list(
        Delivery.objects.filter(pk__in=ids, claimed_by=worker, status=Delivery.Status.SENDING)
        .select_related("subscription", "subscription__user")
        .order_by("pk")
    )


class _Pacer:
    """At most ``rate`` messages a second (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def _finish(delivery: Delivery, **values) -> None:
    Delivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
        lease_until=None, **values
    )


def deliver(
    *, worker: str | None = None, now: dt.datetime | None = None, share: int = 1
) -> DeliveryReport:
    """Send every claimable digest; returns what happened.

    ``share``: how many senders run at once, each keeping to its share of
    DIGEST_MAX_PER_SECOND.
    """
    worker = worker or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
    report = DeliveryReport()
    pool = PeriodPool()
    blocks = PaperBlocks()
    pacer = _Pacer(settings.DIGEST_MAX_PER_SECOND / share)
    connection = None
    suppressed = {e.lower() for e in Suppression.objects.values_list(Lower("email"), flat=True)}
    try:
        while batch := _claim(worker, now or timezone.now()):
            for delivery in batch:
                sub = delivery.subscription
                period = DigestPeriod(sub.cadence, delivery.period_start, delivery.period_end,
                                      sub.time_zone)  # fmt: skip
                if sub.status != Subscription.Status.ACTIVE:
                    _finish(delivery, status=Delivery.Status.FAILED, last_error="unsubscribed")
                    report.failed += 1
                    continue
                if sub.email.lower() in suppressed:
                    _finish(
                        delivery, status=Delivery.Status.FAILED, last_error="address suppressed"
                    )
                    report.failed += 1
                    continue
                digest = compose(sub, period=period, pool=pool)
                if digest.is_empty:
                    _finish(delivery, status=Delivery.Status.EMPTY, last_error=digest.empty_reason)
                    report.empty += 1
                    continue
                message = render_digest(sub, digest, blocks)
                pacer.wait()
                try:
                    if connection is None:
                        connection = delivery_connection()
                        connection.open()
                    connection.send_messages([message])
                except Exception as exc:
                    connection = _drop(connection)
                    _failed(delivery, exc, report)
                    continue
                _finish(
                    delivery,
                    status=Delivery.Status.SENT,
                    sent_at=timezone.now(),
                    attempts=delivery.attempts + 1,
                    message_id=message_id(sub, digest),
                    papers=digest.papers,
                    last_error="",
                )
                report.sent += 1
    finally:
        _drop(connection)
    return report


def _drop(connection):
    if connection is not None:
        try:
            connection.close()
        except Exception:  # a dead connection cannot be closed politely
            pass
    return None


def _failed(delivery: Delivery, exc: Exception, report: DeliveryReport) -> None:
    attempts = delivery.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_temporary(exc) and attempts < settings.DIGEST_MAX_ATTEMPTS:
        delay = settings.DIGEST_RETRY_SECONDS * 2 ** (attempts - 1)
        _finish(
            delivery,
            status=Delivery.Status.PENDING,
            attempts=attempts,
            next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
            last_error=error,
        )
        report.retried += 1
        log.warning("digest %s: temporary failure, retry in %ss: %s", delivery.pk, delay, error)
    else:
        _finish(delivery, status=Delivery.Status.FAILED, attempts=attempts, last_error=error)
        report.failed += 1
        log.error("digest %s failed: %s", delivery.pk, error)
    report.errors.append(error)


def _deliver_in_child(now: dt.datetime | None, share: int) -> DeliveryReport:
    connections.close_all()  # the parent's connections are not this process's to use
    try:
        return deliver(now=now, share=share)
    finally:
        connections.close_all()


def send_due(*, now: dt.datetime | None = None, processes: int = 1) -> DeliveryReport:
    """Plan and deliver: what `dailypapers digests send` and the worker job run.

    With ``processes`` > 1, that many sender processes share the outbox (each
    claims its own batches), using every core for composing and rendering.
    """
    planned = plan(now=now)
    if processes <= 1:
        report = deliver(now=now)
    else:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        # Senders die with this process however it dies: orphans would hold
        # their claims and SMTP connections with nobody to report to.
        with ProcessPoolExecutor(
            max_workers=processes, mp_context=context, initializer=die_with_parent
        ) as pool:
            parts = list(pool.map(_deliver_in_child, [now] * processes, [processes] * processes))
        report = DeliveryReport()
        for part in parts:
            for name in ("sent", "empty", "retried", "failed"):
                setattr(report, name, getattr(report, name) + getattr(part, name))
            report.errors += part.errors
    report.planned = planned
    return report
