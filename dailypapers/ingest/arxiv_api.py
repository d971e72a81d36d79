"""The arXiv query API (``/api/query``): Atom feeds with OpenSearch totals.

Every field arXiv returns is read: id and version, title, summary, authors
with affiliations, published and updated times, primary and other
categories, comment, journal reference, DOI and links. An error is reported
by arXiv as a feed whose single entry has an ``/api/errors`` id; that becomes
:class:`ArxivApiError` with arXiv's own message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from dailypapers.ingest.errors import ArxivApiError, MalformedResponse
from dailypapers.ingest.http import PoliteClient
from dailypapers.ingest.timestamps import parse_datetime
from dailypapers.ingest.xml import parse_xml
from dailypapers.papers import authors as author_names
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.records import SOURCE_ARXIV, PaperRecord

DEFAULT_URL = "https://export.arxiv.org/api/query"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
# arXiv's documented ceiling for one response.
MAX_PAGE = 2000


@dataclass
class AtomFeed:
    total_results: int
    start_index: int
    items_per_page: int
    records: list[PaperRecord] = field(default_factory=list)
    pdf_urls: dict[str, str] = field(default_factory=dict)


def _text(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _int(element: Element, tag: str) -> int:
    try:
        return int(_text(element, tag).strip() or 0)
    except ValueError:
        raise MalformedResponse(f"arXiv feed: {tag} is not a number") from None


def _entry(entry: Element) -> tuple[PaperRecord, str]:
    raw_id = _text(entry, f"{ATOM}id").strip()
    if "/api/errors" in raw_id:
        raise ArxivApiError(_text(entry, f"{ATOM}summary").strip() or raw_id)
    parsed = parse_arxiv_id(raw_id)
    if parsed is None:
        raise MalformedResponse(f"arXiv feed: entry id {raw_id!r} is not an arXiv id")
    primary = entry.find(f"{ARXIV}primary_category")
    categories = [primary.get("term", "")] if primary is not None else []
    categories += [c.get("term", "") for c in entry.findall(f"{ATOM}category")]
    people = []
    for person in entry.findall(f"{ATOM}author"):
        affiliations = [a.text or "" for a in person.findall(f"{ARXIV}affiliation")]
        one = author_names.author(
            name=_text(person, f"{ATOM}name"), affiliation="; ".join(affiliations)
        )
        if one:
            people.append(one)
    pdf = next(
        (
            link.get("href", "")
            for link in entry.findall(f"{ATOM}link")
            if link.get("title") == "pdf"
        ),
        "",
    )
    updated = parse_datetime(_text(entry, f"{ATOM}updated"))
    published = parse_datetime(_text(entry, f"{ATOM}published"))
    record = PaperRecord(
        source=SOURCE_ARXIV,
        arxiv_id=parsed.id,
        version=parsed.version,
        title=_text(entry, f"{ATOM}title"),
        abstract=_text(entry, f"{ATOM}summary"),
        authors=people,
        categories=list(dict.fromkeys(c for c in categories if c)),
        published_at=published,
        updated_at=updated,
        comments=_text(entry, f"{ARXIV}comment"),
        journal_ref=_text(entry, f"{ARXIV}journal_ref"),
        doi=_text(entry, f"{ARXIV}doi").strip(),
        # The entry describes the version submitted at <updated>.
        observed_at=updated or published or dt.datetime.now(dt.UTC),
    )
    return record, pdf


def parse_feed(body: bytes) -> AtomFeed:
    root = parse_xml(body, what="arXiv API response")
    if root.tag != f"{ATOM}feed":
        raise MalformedResponse(f"arXiv API response: expected an Atom feed, got <{root.tag}>")
    feed = AtomFeed(
        total_results=_int(root, f"{OPENSEARCH}totalResults"),
        start_index=_int(root, f"{OPENSEARCH}startIndex"),
        items_per_page=_int(root, f"{OPENSEARCH}itemsPerPage"),
    )
    for entry in root.findall(f"{ATOM}entry"):
        record, pdf = _entry(entry)
        feed.records.append(record)
        if pdf:
            feed.pdf_urls[record.arxiv_id] = pdf
    return feed


class ArxivApi:
    def __init__(self, *, client: PoliteClient, url: str = DEFAULT_URL) -> None:
        self.client = client
        self.url = url

    def query(
        self,
        *,
        search_query: str = "",
        id_list: Iterable[str] = (),
        start: int = 0,
        max_results: int = 100,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> AtomFeed:
        params = {
            "search_query": search_query,
            "id_list": ",".join(id_list),
            "start": str(start),
            "max_results": str(min(max_results, MAX_PAGE)),
        }
        if sort_by:
            params["sortBy"] = sort_by
        if sort_order:
            params["sortOrder"] = sort_order
        return self.client.fetch(self.url, params, parse_feed)

    def iter_records(
        self,
        *,
        search_query: str = "",
        id_list: Iterable[str] = (),
        page_size: int = 100,
        limit: int | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Iterator[PaperRecord]:
        """Every record of a query, page by page (``start``/``max_results``)."""
        ids = list(id_list)
        start, seen = 0, 0
        while True:
            feed = self.query(
                search_query=search_query,
                id_list=ids,
                start=start,
                max_results=page_size,
                sort_by=sort_by,
                sort_order=sort_order,
            )
            for record in feed.records:
                yield record
                seen += 1
                if limit is not None and seen >= limit:
                    return
            start += len(feed.records)
            if not feed.records or start >= feed.total_results:
                return

    def fetch(self, ids: Iterable[str]) -> list[PaperRecord]:
        """The records of ``ids`` (any spelling), 100 per request."""
        wanted = [str(parse_arxiv_id(i) or i) for i in ids]
        found: list[PaperRecord] = []
        for start in range(0, len(wanted), 100):
            chunk = wanted[start : start + 100]
            found += list(self.iter_records(id_list=chunk, page_size=len(chunk)))
        return found
