"""Submitting a paper to a day's feed, and curators featuring papers.

The rules, each refused with a message that says what to do:

- the reference must be an arXiv id or an arXiv abs/pdf URL;
- a paper not stored yet is fetched from the arXiv query API;
- the same paper cannot be listed twice on one day;
- each member submits at most SUBMISSION_DAILY_CAP papers a day;
- papers published more than SUBMISSION_MAX_AGE_DAYS ago only by curators
  (the feed is about new work; curators may resurface older papers).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dailypapers.community.models import QueuedSubmission
from dailypapers.community.roles import is_curator
from dailypapers.core import page_version
from dailypapers.core.errors import Invalid
from dailypapers.ingest.errors import SourceError
from dailypapers.ingest.harvest import papers_by_id, papers_for_waiting
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.trending import trending_refresh


class SubmissionError(Invalid):
    """A submission refused; the message is for the person who submitted."""


class SubmissionQueued(Exception):
    """arXiv could not be reached: the submission waits and is tried again."""


def _paper_for(reference: str, *, user, today: dt.date) -> Paper:
    parsed = parse_arxiv_id((reference or "").strip())
    if parsed is None:
        raise SubmissionError(
            "Give an arXiv id (like 2510.06217) or an arXiv link (https://arxiv.org/abs/…)."
        )
    paper = Paper.objects.filter(arxiv_id=parsed.id).first()
    if paper is not None:
        return paper
    try:
        papers_by_id(ids=[parsed.id], interactive=True)
    except SourceError as exc:
        QueuedSubmission.objects.update_or_create(
            user=user, arxiv_id=parsed.id, day=today,
            defaults={"last_error": str(exc)[:2000], "finished_at": None},
        )  # fmt: skip
        raise SubmissionQueued(
            f"arXiv could not be reached just now, so {parsed.id} is queued: it is fetched "
            f"and listed on the papers of {today:%b %-d} as soon as arXiv answers (the site "
            "tries again every few minutes)."
        ) from exc
    paper = Paper.objects.filter(arxiv_id=parsed.id).first()
    if paper is None:
        raise SubmissionError(f"arXiv has no paper {parsed.id}.")
    return paper


def submissions_today(*, user, today: dt.date) -> int:
    return Listing.objects.filter(
        submitted_by=user, source=Listing.Source.SUBMISSION, day=today
    ).count()


def paper_submit(*, user, reference: str, today: dt.date | None = None) -> Listing:
    """List the paper ``reference`` names on today's feed, submitted by ``user``."""
    today = today or timezone.localdate()
    curator = is_curator(user)
    cap = settings.SUBMISSION_DAILY_CAP
    if not curator and submissions_today(user=user, today=today) >= cap:
        raise SubmissionError(
            f"You have submitted {cap} papers today, the most a member can; "
            "come back tomorrow or ask a curator."
        )
    paper = _paper_for(reference, user=user, today=today)
    max_age = settings.SUBMISSION_MAX_AGE_DAYS
    if (
        not curator
        and paper.published_at is not None
        and paper.published_at.date() < today - dt.timedelta(days=max_age)
    ):
        raise SubmissionError(
            f"{paper.arxiv_id} was published on {paper.published_at:%b %-d, %Y}, more than "
            f"{max_age} days ago; only curators can feature older papers."
        )
    with transaction.atomic():
        listing = Listing.objects.select_for_update().filter(paper=paper, day=today).first()
        if listing is not None and listing.status == Listing.Status.FEATURED:
            raise SubmissionError(f"{paper.arxiv_id} is already on the feed of {today:%b %-d}.")
        now = timezone.now()
        if listing is None:
            listing = Listing(paper=paper, day=today)
        # An arXiv candidate of the day becomes featured, credited to its submitter.
        listing.status = Listing.Status.FEATURED
        listing.source = Listing.Source.SUBMISSION
        listing.submitted_by = user
        listing.submitter_name = ""
        listing.submitter_fullname = ""
        listing.submitted_at = now
        listing.save()
        trending_refresh(paper_ids=[paper.pk])
        page_version.changed()
    return listing


CURATOR_ACTIONS = ("feature", "unfeature", "pin", "unpin", "hide", "unhide")


def listing_curate(*, curator, paper_id: int, day: dt.date, action: str) -> Listing | None:
    """A curator's action on a paper's listing of ``day``."""
    if not is_curator(curator):
        raise PermissionDenied("Only curators can feature, pin or hide papers.")
    if action not in CURATOR_ACTIONS:
        raise SubmissionError(f"Unknown action {action!r}.")
    with transaction.atomic():
        paper = Paper.objects.select_for_update().filter(pk=paper_id).first()
        if paper is None:
            raise SubmissionError("This paper does not exist.")
        listing = Listing.objects.filter(paper=paper, day=day).first()
        if listing is None and action != "feature":
            raise SubmissionError(f"This paper is not listed on {day:%b %-d, %Y}.")
        if action == "feature":
            if listing is None:
                listing = Listing(paper=paper, day=day, source=Listing.Source.CURATOR)
                listing.submitted_by = curator
                listing.submitted_at = timezone.now()
            listing.status = Listing.Status.FEATURED
            listing.is_hidden = False
        elif action == "unfeature":
            listing.status = Listing.Status.CANDIDATE
            listing.is_pinned = False
        else:
            field = "is_pinned" if action.endswith("pin") else "is_hidden"
            setattr(listing, field, not action.startswith("un"))
        listing.save()
        trending_refresh(paper_ids=[paper.pk])
        page_version.changed()
    return listing


def queued_submissions_retry() -> tuple[int, int]:
    """Fetch the papers of queued submissions and list them on the days they
    were submitted; (listed, still waiting). A refusal (no such paper, too old,
    already listed) ends the submission with its reason."""
    waiting = list(QueuedSubmission.objects.filter(finished_at__isnull=True).order_by("pk"))
    if not waiting:
        return 0, 0
    if not papers_for_waiting(waiting):
        return 0, len(waiting)
    listed = 0
    for queued in waiting:
        try:
            paper_submit(user=queued.user, reference=queued.arxiv_id, today=queued.day)
        except SubmissionError as exc:
            queued.last_error = str(exc)
        else:
            listed += 1
            queued.last_error = ""
        queued.attempts += 1
        queued.finished_at = timezone.now()
        queued.save(update_fields=["attempts", "last_error", "finished_at"])
    return listed, 0


def queued_submissions_of(*, user) -> list[QueuedSubmission]:
    """The member's submissions still waiting for arXiv, oldest first."""
    return list(QueuedSubmission.objects.filter(user=user, finished_at__isnull=True).order_by("pk"))
