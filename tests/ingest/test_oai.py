"""OAI-PMH parsing and harvesting against a local server replaying real responses."""

import datetime as dt

import pytest

from dailypapers.ingest.errors import FetchError, OaiError
from dailypapers.ingest.harvest import HarvestReport, oai_harvest
from dailypapers.ingest.http import PoliteClient
from dailypapers.ingest.models import HarvestState
from dailypapers.ingest.oai import OaiClient, parse_page
from dailypapers.papers.models import Paper
from tests.ingest.arxiv_fixtures import (
    CS_LIST,
    OAI,
    add_cs_harvest,
    cs_pages,
    cs_records,
    recorded_503_exchange,
)
from tests.replay import Reply


def oai(server, path="/oai", **options) -> OaiClient:
    settings = dict(min_interval=0, backoff=0.01, retries=2, timeout=5)
    settings.update(options)
    return OaiClient(client=PoliteClient(**settings), url=server.url + path)


def harvest(server, **options) -> HarvestReport:
    return oai_harvest(
        oai=oai(server, **options),
        set_spec="cs",
        from_date=dt.date(2015, 1, 16),
        until=dt.date(2015, 1, 18),
        show_progress=False,
    )


def test_arxiv_format_fields():
    page = parse_page(CS_LIST.read_bytes())
    assert len(page.records) == 46 and page.token is None
    first = page.records[0]
    assert (first.identifier, first.datestamp) == ("oai:arXiv.org:1101.4388", dt.date(2015, 1, 16))
    paper = first.record
    assert (paper.arxiv_id, paper.title) == (
        "1101.4388",
        "Reproducing Kernel Banach Spaces with the l1 Norm",
    )
    assert paper.authors[2] == {
        "name": "Fred J. Hickernell",
        "family": "Hickernell",
        "given": "Fred J.",
    }
    assert paper.categories == ["stat.ML", "cs.LG", "math.FA"]
    assert paper.doi == "10.1016/j.acha.2012.03.009" and paper.journal_ref.startswith(
        "Appl. Comput. Harmon."
    )
    assert paper.published_at == dt.datetime(2011, 1, 23, tzinfo=dt.UTC)
    assert paper.updated_at == paper.observed_at == dt.datetime(2012, 3, 28, tzinfo=dt.UTC)
    assert not first.is_new  # it has an updated version


def test_with_and_without_namespaces_read_the_same():
    plain = (
        parse_page((OAI / "sample_arxiv_response_no_namespace.xml").read_bytes()).records[0].record
    )
    spaced = (
        parse_page((OAI / "sample_arxiv_response_with_namespace.xml").read_bytes())
        .records[0]
        .record
    )
    assert plain.arxiv_id == spaced.arxiv_id == "0804.2273"
    assert plain.authors == spaced.authors and plain.title == spaced.title


def test_arxiv_raw_gives_the_version_history():
    (item,) = parse_page((OAI / "arxivraw_0704.0001_constructed.xml").read_bytes()).records
    paper = item.record
    assert paper.version == 2 and not item.is_new
    assert paper.published_at == dt.datetime(2007, 4, 2, 19, 18, 42, tzinfo=dt.UTC)
    assert (
        paper.updated_at == paper.observed_at == dt.datetime(2007, 7, 24, 20, 10, 27, tzinfo=dt.UTC)
    )
    assert [a["name"] for a in paper.authors] == [
        "C. Balázs",
        "E. L. Berger",
        "P. M. Nadolsky",
        "C.-P. Yuan",
    ]
    assert paper.report_no == "ANL-HEP-PR-07-12"


def test_an_unreadable_record_is_reported_not_fatal():
    (item,) = parse_page((OAI / "sample_arxiv_response_utf8.xml").read_bytes()).records
    assert item.record is None and item.error == "unsupported metadata format <dc>"


def test_oai_errors():
    no_match = b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="noRecordsMatch">none</error></OAI-PMH>'
    assert parse_page(no_match).records == []
    bad = b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badArgument">Illegal set</error></OAI-PMH>'
    with pytest.raises(OaiError, match="badArgument: Illegal set"):
        parse_page(bad)


@pytest.mark.django_db
def test_harvest_follows_resumption_tokens(server):
    pages = add_cs_harvest(server)
    report = harvest(server)
    assert report.files == len(pages) == 3 and report.entries == 46
    assert Paper.objects.count() == len({r for r in cs_records()}) == 46
    assert [r.query.get("resumptionToken") for r in server.requests] == [
        None,
        "6960524|21",
        "6960524|41",
    ]
    state = HarvestState.objects.get()
    assert (
        state.completed_at
        and state.pages == 3
        and state.records == 46
        and state.complete_list_size == 46
    )


@pytest.mark.django_db
def test_503_with_retry_after_is_honoured(server):
    server.add(
        "/oai2",
        {
            "verb": "ListRecords",
            "metadataPrefix": "arXiv",
            "from": "2015-01-01",
            "until": "2015-01-03",
        },
        *recorded_503_exchange(),
    )
    client = PoliteClient(min_interval=0, retries=2, sleep=lambda seconds: None)
    report = oai_harvest(
        oai=OaiClient(client=client, url=server.url + "/oai2"),
        from_date=dt.date(2015, 1, 1),
        until=dt.date(2015, 1, 3),
        show_progress=False,
    )
    assert client.waits == [10.0]  # arXiv's Retry-After, not our backoff
    assert report.entries > 0 and Paper.objects.filter(arxiv_id="1412.8544").exists()


@pytest.mark.django_db
def test_connection_dropped_mid_page_is_retried(server):
    page2 = cs_pages()[1][1]
    add_cs_harvest(server, before={2: [Reply(page2, drop_after=len(page2) // 3)]})
    report = harvest(server)
    assert report.entries == 46 and Paper.objects.count() == 46
    assert [r.query.get("resumptionToken") for r in server.requests].count("6960524|21") == 2


@pytest.mark.django_db
def test_truncated_page_fails_clearly_and_the_harvest_resumes_there(server):
    pages = add_cs_harvest(server)
    token, body = pages[1]
    server.add(
        "/oai", {"verb": "ListRecords", "resumptionToken": token}, Reply(body[: len(body) // 2])
    )
    with pytest.raises(FetchError, match="malformed or truncated XML"):
        harvest(server)
    state = HarvestState.objects.get()
    assert state.pages == 1 and state.resumption_token == token and state.completed_at is None
    assert "malformed or truncated XML" in state.last_error
    assert Paper.objects.count() == 20  # page 1 is stored

    server.add("/oai", {"verb": "ListRecords", "resumptionToken": token}, Reply(body))
    server.requests.clear()
    report = harvest(server)
    assert report.resumed_at_page == 1
    assert server.requests[0].query == {"verb": "ListRecords", "resumptionToken": token}
    assert Paper.objects.count() == 46 and HarvestState.objects.get().completed_at


@pytest.mark.django_db
def test_expired_token_restarts_the_range(server):
    pages = add_cs_harvest(server)
    token = pages[1][0]
    HarvestState.objects.create(
        endpoint=server.url + "/oai",
        metadata_prefix="arXiv",
        set_spec="cs",
        from_date="2015-01-16",
        until_date="2015-01-18",
        resumption_token="stale",
        pages=1,
    )
    server.add(
        "/oai",
        {"verb": "ListRecords", "resumptionToken": "stale"},
        Reply(
            b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badResumptionToken">expired</error></OAI-PMH>'
        ),
    )
    report = harvest(server)
    assert "expired; harvesting the range again" in "\n".join(report.summary_lines())
    assert Paper.objects.count() == 46 and token


@pytest.mark.django_db
def test_harvesting_twice_changes_nothing(server):
    add_cs_harvest(server)
    harvest(server)
    before = list(Paper.objects.order_by("pk").values())
    again = harvest(server)
    assert not again.changed and list(Paper.objects.order_by("pk").values()) == before
