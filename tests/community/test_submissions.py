"""Submitting papers (fetched from a local server replaying real arXiv responses) and curation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dailypapers.community.models import QueuedSubmission
from dailypapers.community.submissions import (
    SubmissionError,
    SubmissionQueued,
    listing_curate,
    paper_submit,
    queued_submissions_of,
    queued_submissions_retry,
)
from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.periods import period_containing
from dailypapers.papers.selectors import feed_listings
from tests.factories import FEATURED_AT, make_paper
from tests.ingest.arxiv_fixtures import api_body, api_query
from tests.replay import ReplayServer, Reply

pytestmark = pytest.mark.django_db
TODAY = FEATURED_AT.date() + dt.timedelta(days=2)


@pytest.fixture
def arxiv(settings):
    with ReplayServer() as server:
        settings.ARXIV_API_URL = server.url + "/api/query"
        settings.ARXIV_MIN_INTERVAL = 0
        yield server


def feed_ids(day: dt.date) -> list[str]:
    return [x.paper.arxiv_id for x in feed_listings(period=period_containing("day", day))]


def test_submit_a_stored_paper(member, paper):
    listing = paper_submit(
        user=member, reference=f"https://arxiv.org/abs/{paper.arxiv_id}v2", today=TODAY
    )
    assert (listing.day, listing.source, listing.submitted_by) == (TODAY, "submission", member)
    assert feed_ids(TODAY) == [paper.arxiv_id]


def test_submit_fetches_an_unknown_paper_from_arxiv(arxiv, curator):
    arxiv.add(
        "/api/query",
        api_query(id_list="2104.12255", max_results=1),
        Reply(api_body("id_2104.12255v1")),
    )
    listing = paper_submit(user=curator, reference="arXiv:2104.12255", today=TODAY)
    assert (
        listing.paper.arxiv_id == "2104.12255"
        and Paper.objects.filter(arxiv_id="2104.12255").exists()
    )
    assert [r.query["id_list"] for r in arxiv.requests] == ["2104.12255"]


def test_old_papers_only_by_curators(arxiv, member):
    arxiv.add(
        "/api/query",
        api_query(id_list="2104.12255", max_results=1),
        Reply(api_body("id_2104.12255v1")),
    )
    with pytest.raises(SubmissionError, match="only curators"):
        paper_submit(user=member, reference="2104.12255", today=TODAY)
    assert not Listing.objects.filter(paper__arxiv_id="2104.12255").exists()


def test_unknown_at_arxiv(arxiv, member):
    arxiv.add(
        "/api/query", api_query(id_list="0000.0000", max_results=1), Reply(api_body("id_0000.0000"))
    )
    with pytest.raises(SubmissionError, match="arXiv has no paper 0000.0000"):
        paper_submit(user=member, reference="0000.0000", today=TODAY)


def test_arxiv_down_queues_the_submission_and_a_later_round_lists_it(arxiv, curator, settings):
    settings.ARXIV_BACKOFF = 0
    query = api_query(id_list="2104.12255", max_results=1)
    arxiv.add("/api/query", query, Reply(b"down", status=503), Reply(b"down", status=503))
    with pytest.raises(SubmissionQueued) as queued:
        paper_submit(user=curator, reference="2104.12255", today=TODAY)
    message = str(queued.value)
    assert "arXiv could not be reached" in message and "queued" in message
    assert "HTTP" not in message and "Error" not in message  # no internals for a reader
    assert [q.arxiv_id for q in queued_submissions_of(user=curator)] == ["2104.12255"]

    arxiv.add("/api/query", query, Reply(b"down", status=503), Reply(b"down", status=503))
    assert queued_submissions_retry() == (0, 1)  # still down: it waits
    arxiv.add("/api/query", query, Reply(api_body("id_2104.12255v1")))
    assert queued_submissions_retry() == (1, 0)
    assert feed_ids(TODAY) == ["2104.12255"] and not queued_submissions_of(user=curator)
    assert queued_submissions_retry() == (0, 0)


def test_a_queued_submission_that_arxiv_refuses_ends_with_the_reason(arxiv, member, settings):
    settings.ARXIV_BACKOFF = 0
    arxiv.add(
        "/api/query", api_query(id_list="0000.0000", max_results=1),
        Reply(b"down", status=503), Reply(b"down", status=503),
    )  # fmt: skip
    with pytest.raises(SubmissionQueued):
        paper_submit(user=member, reference="0000.0000", today=TODAY)
    arxiv.add(
        "/api/query", api_query(id_list="0000.0000", max_results=1), Reply(api_body("id_0000.0000"))
    )
    assert queued_submissions_retry() == (0, 0)
    (done,) = QueuedSubmission.objects.all()
    assert done.finished_at and done.last_error == "arXiv has no paper 0000.0000."


@pytest.mark.parametrize(
    "reference", ["", "not an id", "https://example.org/abs/2510.06217", "1" * 300]
)
def test_bad_references(member, reference):
    with pytest.raises(SubmissionError, match="Give an arXiv id"):
        paper_submit(user=member, reference=reference, today=TODAY)


def test_no_duplicate_on_the_same_day(member, other, paper):
    paper_submit(user=member, reference=paper.arxiv_id, today=TODAY)
    with pytest.raises(SubmissionError, match="already on the feed"):
        paper_submit(user=other, reference=paper.arxiv_id, today=TODAY)
    assert Listing.objects.filter(paper=paper, day=TODAY).count() == 1


def test_a_candidate_of_the_day_becomes_featured(member):
    from dailypapers.papers.records import ListingRecord, PaperRecord
    from dailypapers.papers.services import papers_upsert

    record = PaperRecord(
        arxiv_id="2510.07777", title="A candidate", source="arxiv",
        observed_at=FEATURED_AT, published_at=FEATURED_AT,
    )  # fmt: skip
    papers_upsert(
        records=[record],
        listings=[
            ListingRecord(identity=record.identity, day=TODAY, source="arxiv", status="candidate")
        ],
    )
    assert feed_ids(TODAY) == []
    paper_submit(user=member, reference="2510.07777", today=TODAY)
    assert feed_ids(TODAY) == ["2510.07777"]


def test_daily_cap_but_not_for_curators(member, curator, settings):
    settings.SUBMISSION_DAILY_CAP = 2
    papers = [make_paper(f"2510.0800{i}") for i in range(4)]
    for p in papers[:2]:
        paper_submit(user=member, reference=p.arxiv_id, today=TODAY)
    with pytest.raises(SubmissionError, match="submitted 2 papers today"):
        paper_submit(user=member, reference=papers[2].arxiv_id, today=TODAY)
    for p in papers[2:]:
        paper_submit(user=curator, reference=p.arxiv_id, today=TODAY)


def test_only_curators_curate(member, curator, paper):
    with pytest.raises(PermissionDenied):
        listing_curate(curator=member, paper_id=paper.pk, day=TODAY, action="feature")
    day = FEATURED_AT.date()
    listing_curate(curator=curator, paper_id=paper.pk, day=TODAY, action="feature")
    assert paper.arxiv_id in feed_ids(TODAY)
    listing_curate(curator=curator, paper_id=paper.pk, day=TODAY, action="unfeature")
    assert feed_ids(TODAY) == []
    other = make_paper("2510.08888", day=day, upvotes=99)
    listing_curate(curator=curator, paper_id=paper.pk, day=day, action="pin")
    assert feed_ids(day) == [paper.arxiv_id, other.arxiv_id]  # pinned above more upvotes
    listing_curate(curator=curator, paper_id=other.pk, day=day, action="hide")
    assert feed_ids(day) == [paper.arxiv_id]
    assert Paper.objects.get(pk=other.pk).trending_key is None  # hidden: not trending
