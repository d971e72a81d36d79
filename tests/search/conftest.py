import datetime as dt

import pytest

from dailypapers.papers.records import ListingRecord, PaperRecord
from dailypapers.papers.services import papers_upsert


def add_paper(
    arxiv_id: str,
    title: str,
    abstract: str = "",
    *,
    authors=("Ada Lovelace",),
    categories=("cs.LG",),
    published="2025-10-01",
    code_url="",
    upvotes=0,
    day=None,
) -> int:
    record = PaperRecord(
        source="arxiv",
        arxiv_id=arxiv_id,
        title=title,
        abstract=abstract,
        authors=[{"name": a} for a in authors],
        categories=list(categories),
        published_at=dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC),
        code_url=code_url,
        upvotes=upvotes,
        observed_at=dt.datetime(2025, 10, 2, tzinfo=dt.UTC),
    )
    listings = (
        [
            ListingRecord(
                identity=record.identity, day=dt.date.fromisoformat(day), source="daily_papers"
            )
        ]
        if day
        else []
    )
    return papers_upsert(records=[record], listings=listings).paper_ids[record.identity]


@pytest.fixture
def corpus(db):
    """A few papers whose words and meanings tests can rely on."""
    return {
        "mi": add_paper(
            "2501.00001",
            "Estimating mutual information with neural networks",
            "We propose an estimator of mutual information between high-dimensional variables.",
            authors=("Claude Shannon", "Ada Lovelace"),
            categories=("cs.IT", "cs.LG"),
            published="2025-01-10",
            code_url="https://github.com/a/mi",
        ),
        "rate": add_paper(
            "2502.00002",
            "Rate-distortion theory for language models",
            "Information theory meets large language models through rate distortion.",
            authors=("Thomas Cover",),
            categories=("cs.IT",),
            published="2025-02-10",
        ),
        "vision": add_paper(
            "2503.00003",
            "Segmenting cells in microscopy images",
            "A convolutional network segments biological cells in fluorescence microscopy.",
            authors=("Grace Hopper",),
            categories=("cs.CV",),
            published="2025-03-10",
            upvotes=50,
        ),
        "rl": add_paper(
            "2504.00004",
            "Policy optimisation for robot control",
            "Reinforcement learning trains robots to grasp objects; estimation of value functions.",
            authors=("Richard Sutton",),
            categories=("cs.RO", "cs.LG"),
            published="2025-04-10",
            code_url="https://gitlab.com/b/rl",
        ),
    }
