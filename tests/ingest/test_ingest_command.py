"""`dailypapers ingest`: the daily arXiv ingest and its exit statuses."""

import io

import pytest
from django.core.management import CommandError, call_command

from dailypapers.ingest.harvest import oai_set_for
from dailypapers.papers.models import Listing, Paper
from tests.ingest.arxiv_fixtures import add_cs_harvest, api_body, api_query
from tests.processes import run_cli
from tests.replay import ReplayServer, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    settings.ARXIV_MIN_INTERVAL = 0
    settings.ARXIV_BACKOFF = 0.01
    settings.ARXIV_RETRIES = 1
    with ReplayServer() as server:
        yield server


def ingest(*args, expect: int) -> str:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", *args, "--no-progress", stdout=out)
    assert exit_info.value.code == expect, out.getvalue()
    return out.getvalue()


def test_new_papers_become_candidates_of_their_announcement_day(server):
    add_cs_harvest(server)
    out = ingest(
        "arxiv",
        "--since",
        "2015-01-16",
        "--until",
        "2015-01-18",
        "--categories",
        "cs.LG",
        "--endpoint",
        server.url + "/oai",
        expect=0,
    )
    stored = Paper.objects.all()
    assert stored.exists() and all("cs.LG" in p.category_list for p in stored)
    candidates = Listing.objects.filter(status=Listing.Status.CANDIDATE)
    # Only first versions are new; revised papers are updated, not listed.
    assert candidates.exists() and candidates.count() < stored.count()
    assert all(c.paper.version is None and c.paper.updated_at is None for c in candidates)
    day_counts = {str(day) for day in candidates.values_list("day", flat=True)}
    assert day_counts <= {"2015-01-16", "2015-01-17", "2015-01-18"}
    assert "new papers announced 2015-01-16" in out
    # Candidates are not on the public feed until featured.
    assert not Listing.objects.filter(status=Listing.Status.FEATURED).exists()


def test_nothing_new_exits_1(server):
    add_cs_harvest(server)
    args = (
        "arxiv",
        "--since",
        "2015-01-16",
        "--until",
        "2015-01-18",
        "--endpoint",
        server.url + "/oai",
    )
    ingest(*args, expect=0)
    out = ingest(*args, expect=1)
    assert "0 new, 0 updated" in out


def test_unreachable_arxiv_exits_2_with_the_reason(server):
    with pytest.raises(CommandError, match=r"arXiv ingest failed: .*HTTP 404") as error:
        call_command(
            "ingest",
            "arxiv",
            "--since",
            "2015-01-16",
            "--endpoint",
            server.url + "/nothing",
            "--no-progress",
        )
    assert error.value.returncode == 2


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="'2025-13-45' is not a date"):
        call_command("ingest", "arxiv", "--since", "2025-13-45")


def test_ids_through_the_query_api(server):
    server.add(
        "/api/query",
        api_query(id_list="2104.12255", max_results=1),
        Reply(api_body("id_2104.12255v1")),
    )
    out = ingest("ids", "2104.12255", "--endpoint", server.url + "/api/query", expect=0)
    assert "1 new" in out and Paper.objects.get().arxiv_id == "2104.12255"


@pytest.mark.parametrize(
    ("category", "oai_set"),
    [
        ("cs.CL", "cs"),
        ("astro-ph.GA", "physics:astro-ph"),
        ("quant-ph", "physics:quant-ph"),
        ("math.AG", "math"),
        ("stat.ML", "stat"),
        ("q-bio.NC", "q-bio"),
        ("eess.SP", "eess"),
    ],
)
def test_oai_sets(category, oai_set):
    assert oai_set_for(category) == oai_set


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["arxiv", "--since", "notadate"], "'notadate' is not a date (YYYY-MM-DD)"),
        (["oai", "--from", "2026-13-45"], "'2026-13-45' is not a date (YYYY-MM-DD)"),
        (["arxiv"], "the following arguments are required: --since"),
    ],
)
def test_misuse_exits_2_with_one_line(args, message, tmp_path):
    result = run_cli("ingest", *args, data_dir=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_ids_are_checked_here_and_a_bad_one_does_not_stop_the_others(server):
    server.add(
        "/api/query",
        api_query(id_list="2104.12255", max_results=1),
        Reply(api_body("id_2104.12255v1")),
    )
    out = ingest(
        "ids", "not-an-id", "2104.12255", "--endpoint", server.url + "/api/query", expect=0
    )
    assert "not-an-id: not an arXiv id" in out and "1 new" in out
    assert [r.query["id_list"] for r in server.requests] == ["2104.12255"]
