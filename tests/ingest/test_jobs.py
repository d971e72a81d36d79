"""The ingest's scheduled jobs: arXiv's metadata for the papers the site already has."""

import gzip
import json

import pytest
from bs4 import BeautifulSoup

from dailypapers.ingest.jobs import arxiv_metadata, jobs
from dailypapers.papers.models import Listing, Paper
from tests.conftest import DAY_FILES, shared_data

# The snapshot is read in a second process, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def metadata_file(tmp_path, imported, settings):
    """The shared arXiv records of the featured papers, and as many others."""
    featured = set(Paper.objects.filter(listings__isnull=False).values_list("arxiv_id", flat=True))
    mine, others = [], []
    with gzip.open(shared_data() / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz", "rb") as f:
        for line in f:
            (mine if json.loads(line)["id"] in featured else others).append(line)
    path = tmp_path / "arxiv.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(mine + others[: len(mine)])))
    settings.ARXIV_METADATA_FILE = path
    return path, len(mine)


def test_featured_papers_get_arxivs_categories_and_no_paper_is_added(metadata_file, client):
    path, covered = metadata_file
    assert covered > 30  # most of the test days' papers are in the shared arXiv file
    before = Paper.objects.count()
    assert Paper.objects.exclude(categories="").count() == 0
    assert [job.name for job in jobs()][-1] == "arxiv-metadata"
    summary = arxiv_metadata(None)
    assert f"{path.name}: {2 * covered} records read, {covered} papers updated" == summary
    assert Paper.objects.count() == before
    assert Paper.objects.exclude(categories="").count() == covered

    day = Listing.objects.filter(paper__categories__contains="cs.CL").first().day
    soup = BeautifulSoup(client.get(f"/papers/date/{day}").content, "html.parser")
    assert any("cs.CL" in c.get_text() for c in soup.select("article.card .categories"))
    feed = client.get("/feeds/category/cs.CL.rss").content.decode()
    assert feed.count("<item>") > 0


def test_without_a_metadata_file_there_is_no_such_job(settings, tmp_path):
    settings.ARXIV_METADATA_FILE = tmp_path / "missing.jsonl.gz"
    assert "arxiv-metadata" not in [job.name for job in jobs()]
    settings.ARXIV_METADATA_FILE = None
    assert "arxiv-metadata" not in [job.name for job in jobs()]
    assert DAY_FILES.is_dir()
