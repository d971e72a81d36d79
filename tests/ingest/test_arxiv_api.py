"""The arXiv query API client against a local server replaying real responses."""

import datetime as dt
import time
from itertools import pairwise

import pytest

from dailypapers.ingest.arxiv_api import ArxivApi, parse_feed
from dailypapers.ingest.errors import ArxivApiError, FetchError
from dailypapers.ingest.http import PoliteClient
from tests.ingest.arxiv_fixtures import api_body, api_query
from tests.replay import Reply


def api(server, **client_options) -> ArxivApi:
    options = dict(min_interval=0, backoff=0.01, retries=3, timeout=5)
    options.update(client_options)
    return ArxivApi(client=PoliteClient(**options), url=server.url + "/api/query")


def serve_testing_pages(server) -> None:
    """The recorded pages of all:testing, 10 records each from 0, 10 and 20."""
    for start in (0, 10, 20):
        server.add(
            "/api/query",
            api_query(search_query="all:testing", start=start, max_results=10),
            Reply(api_body(f"q_testing_s{start}_m10")),
        )


def test_every_field_of_an_entry():
    feed = parse_feed(api_body("id_astro-ph_0601001"))
    assert (feed.total_results, feed.start_index, feed.items_per_page) == (1, 0, 100)
    (paper,) = feed.records
    assert (paper.arxiv_id, paper.version) == ("astro-ph/0601001", 1)
    assert paper.title.startswith("Frequency of Hot Jupiters and Very Hot Jupiters")
    assert paper.abstract.startswith(
        "We derive the frequencies of hot Jupiters"
    )  # leading spaces gone
    assert [a["name"] for a in paper.authors] == [
        "Andrew Gould",
        "Susan Dorsher",
        "B. Scott Gaudi",
        "Andrzej Udalski",
    ]
    assert paper.authors[3]["affiliation"] == "Warsaw University Observatory"
    assert paper.categories == ["astro-ph"]
    assert paper.comments.startswith("62 pages including 16 figures")
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    assert paper.published_at == dt.datetime(2006, 1, 2, 14, 57, 58, tzinfo=dt.UTC)
    assert paper.observed_at == paper.updated_at == paper.published_at
    assert feed.pdf_urls["astro-ph/0601001"] == "https://arxiv.org/pdf/astro-ph/0601001v1"


def test_doi_and_primary_category_first():
    feed = parse_feed(api_body("q_testing_s0_m10"))
    first = feed.records[0]
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.categories == ["cs.SE", "cs.LG"]
    assert feed.total_results == 214881 and len(feed.records) == 10
    assert any(
        r.version and r.version > 1 for r in parse_feed(api_body("q_testing_s10_m10")).records
    )


def test_error_feed_raises_with_arxivs_message(server):
    server.add("/api/query", api_query(id_list="abc"), Reply(api_body("id_abc")))
    with pytest.raises(ArxivApiError, match="incorrect id format for abc"):
        api(server).query(id_list=["abc"])


def test_empty_result(server):
    server.add("/api/query", api_query(id_list="0000.0000"), Reply(api_body("id_0000.0000")))
    feed = api(server).query(id_list=["0000.0000"])
    assert feed.total_results == 0 and feed.records == []


def test_paging_with_start_and_max_results(server):
    serve_testing_pages(server)
    records = list(api(server).iter_records(search_query="all:testing", page_size=10, limit=25))
    assert len(records) == 25
    assert [r.query["start"] for r in server.requests] == ["0", "10", "20"]
    assert records[10].arxiv_id == parse_feed(api_body("q_testing_s10_m10")).records[0].arxiv_id


def test_fetch_by_ids_in_any_spelling(server):
    server.add(
        "/api/query",
        api_query(id_list="2104.12255v1", max_results=1),
        Reply(api_body("id_2104.12255v1")),
    )
    (paper,) = api(server).fetch(["arXiv:2104.12255v1"])
    assert (paper.arxiv_id, paper.version, paper.title) == ("2104.12255", 1, "0")


def test_politeness_spaces_requests(server):
    serve_testing_pages(server)
    list(
        api(server, min_interval=0.3).iter_records(
            search_query="all:testing", page_size=10, limit=30
        )
    )
    times = [r.at for r in server.requests]
    assert len(times) == 3
    # Measured where arXiv would see it; 20% slack for thread scheduling on a busy machine.
    assert all(later - earlier >= 0.24 for earlier, later in pairwise(times))


def test_server_errors_are_retried_with_backoff(server):
    server.add(
        "/api/query",
        api_query(id_list="2104.12255v1"),
        Reply(b"oops", status=500),
        Reply(b"busy", status=503),
        Reply(api_body("id_2104.12255v1")),
    )
    client = PoliteClient(min_interval=0, backoff=0.05, retries=3)
    feed = ArxivApi(client=client, url=server.url + "/api/query").query(id_list=["2104.12255v1"])
    assert feed.records[0].arxiv_id == "2104.12255"
    assert client.waits == [0.05, 0.1]  # exponential
    assert len(server.requests) == 3


def test_timeouts_are_retried(server):
    server.add(
        "/api/query",
        api_query(id_list="2104.12255v1"),
        Reply(api_body("id_2104.12255v1"), delay=1.5),
        Reply(api_body("id_2104.12255v1")),
    )
    feed = api(server, timeout=0.5).query(id_list=["2104.12255v1"])
    assert feed.total_results == 1 and len(server.requests) == 2


def test_a_truncated_body_is_retried_then_reported(server):
    body = api_body("id_astro-ph_0601001")
    server.add("/api/query", api_query(id_list="astro-ph/0601001"), Reply(body[: len(body) // 2]))
    with pytest.raises(
        FetchError,
        match=r"giving up .* after 4 attempts: arXiv API response: malformed or truncated XML",
    ):
        api(server).query(id_list=["astro-ph/0601001"])
    assert len(server.requests) == 4


def test_client_errors_are_not_retried(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        api(server).query(id_list=["unknown"])
    assert len(server.requests) == 1


def test_unsafe_xml_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feed>&b;</feed>'
    with pytest.raises(Exception, match="refused unsafe XML"):
        parse_feed(bomb)


def test_not_a_feed_is_malformed():
    with pytest.raises(Exception, match="expected an Atom feed"):
        parse_feed(b"<html><body>Service unavailable</body></html>")
    start = time.monotonic()
    with pytest.raises(Exception, match="empty body"):
        parse_feed(b"   ")
    assert time.monotonic() - start < 1
