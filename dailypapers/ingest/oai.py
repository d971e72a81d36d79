"""arXiv's OAI-PMH interface: ``ListRecords`` in the ``arXiv`` and ``arXivRaw`` formats.

``arXiv`` gives parsed author names and the first and latest version dates;
``arXivRaw`` gives the whole version history and the byline as a string.
Responses arrive with or without XML namespaces; both are read. OAI's
``noRecordsMatch`` is an empty result, not an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from dailypapers.ingest.errors import MalformedResponse, OaiError
from dailypapers.ingest.http import PoliteClient
from dailypapers.ingest.timestamps import parse_date, parse_datetime, start_of
from dailypapers.ingest.xml import parse_xml, strip_namespaces, text_of
from dailypapers.papers import authors as author_names
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.records import SOURCE_ARXIV, PaperRecord

DEFAULT_URL = "https://oaipmh.arxiv.org/oai"
FORMATS = ("arXiv", "arXivRaw")


@dataclass
class OaiRecord:
    identifier: str
    datestamp: dt.date | None
    deleted: bool = False
    record: PaperRecord | None = None
    # Only one version so far: a newly announced paper rather than a revision.
    is_new: bool = False
    # Why this record could not be read; the rest of its page still is.
    error: str = ""


@dataclass
class OaiPage:
    records: list[OaiRecord] = field(default_factory=list)
    token: str | None = None
    complete_list_size: int | None = None
    cursor: int | None = None


def _arxiv_format(meta: Element, datestamp: dt.date | None) -> tuple[PaperRecord, bool]:
    created = parse_date(text_of(meta, "created"))
    updated = parse_date(text_of(meta, "updated"))
    people = [
        author_names.author(
            family=text_of(a, "keyname"),
            given=text_of(a, "forenames"),
            suffix=text_of(a, "suffix"),
            affiliation="; ".join((x.text or "") for x in a.findall("affiliation")),
        )
        for a in meta.findall("authors/author")
    ]
    version_day = updated or created or datestamp
    record = _record(
        meta,
        authors=[p for p in people if p],
        version=None,  # this format names no version
        published_at=start_of(created) if created else None,
        updated_at=start_of(updated) if updated else None,
        observed_at=start_of(version_day) if version_day else None,
    )
    return record, updated is None


def _raw_date(text: str) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(text).astimezone(dt.UTC)
    except (TypeError, ValueError):
        return parse_datetime(text)


def _arxiv_raw_format(meta: Element) -> tuple[PaperRecord, bool]:
    versions = []
    for element in meta.findall("version"):
        number = (element.get("version") or "").lstrip("v")
        when = _raw_date(text_of(element, "date"))
        if number.isdigit() and when:
            versions.append((int(number), when))
    versions.sort()
    record = _record(
        meta,
        authors=author_names.from_string(text_of(meta, "authors")),
        version=versions[-1][0] if versions else None,
        published_at=versions[0][1] if versions else None,
        updated_at=versions[-1][1] if len(versions) > 1 else None,
        observed_at=versions[-1][1] if versions else None,
    )
    return record, len(versions) <= 1


def _record(
    meta: Element, *, authors, version, published_at, updated_at, observed_at
) -> PaperRecord:
    parsed = parse_arxiv_id(text_of(meta, "id"))
    if parsed is None:
        raise MalformedResponse(f"id {text_of(meta, 'id')!r} is not an arXiv id")
    return PaperRecord(
        source=SOURCE_ARXIV,
        arxiv_id=parsed.id,
        version=version or parsed.version,
        title=text_of(meta, "title"),
        abstract=text_of(meta, "abstract"),
        authors=authors,
        categories=text_of(meta, "categories").split(),
        published_at=published_at,
        published_is_date_only=published_at is not None and published_at.time() == dt.time.min,
        updated_at=updated_at,
        comments=text_of(meta, "comments"),
        journal_ref=text_of(meta, "journal-ref"),
        doi=text_of(meta, "doi"),
        report_no=text_of(meta, "report-no"),
        license=text_of(meta, "license"),
        observed_at=observed_at or dt.datetime.now(dt.UTC),
    )


def _oai_record(element: Element) -> OaiRecord:
    header = element.find("header")
    identifier = text_of(header, "identifier")
    result = OaiRecord(identifier=identifier, datestamp=parse_date(text_of(header, "datestamp")))
    if header is not None and header.get("status") == "deleted":
        result.deleted = True
        return result
    metadata = element.find("metadata")
    meta = metadata[0] if metadata is not None and len(metadata) else None
    try:
        if meta is None:
            raise MalformedResponse("no metadata")
        if meta.tag == "arXivRaw":
            result.record, result.is_new = _arxiv_raw_format(meta)
        elif meta.tag == "arXiv":
            result.record, result.is_new = _arxiv_format(meta, result.datestamp)
        else:
            raise MalformedResponse(f"unsupported metadata format <{meta.tag}>")
    except MalformedResponse as exc:
        result.error = str(exc)
    return result


def parse_page(body: bytes) -> OaiPage:
    root = strip_namespaces(parse_xml(body, what="OAI-PMH response"))
    if root.tag != "OAI-PMH":
        raise MalformedResponse(f"OAI-PMH response: expected <OAI-PMH>, got <{root.tag}>")
    error = root.find("error")
    if error is not None:
        code = error.get("code", "unknown")
        if code == "noRecordsMatch":
            return OaiPage()
        raise OaiError(code, (error.text or "").strip())
    body_element = root.find("ListRecords")
    if body_element is None:
        body_element = root.find("GetRecord")
    if body_element is None:
        raise MalformedResponse("OAI-PMH response has neither ListRecords nor GetRecord")
    page = OaiPage(records=[_oai_record(r) for r in body_element.findall("record")])
    token = body_element.find("resumptionToken")
    if token is not None:
        page.token = (token.text or "").strip() or None
        size, cursor = token.get("completeListSize"), token.get("cursor")
        page.complete_list_size = int(size) if size and size.isdigit() else None
        page.cursor = int(cursor) if cursor and cursor.isdigit() else None
    return page


class OaiClient:
    def __init__(self, *, client: PoliteClient, url: str = DEFAULT_URL) -> None:
        self.client = client
        self.url = url

    def list_records(
        self,
        *,
        metadata_prefix: str = "arXiv",
        set_spec: str | None = None,
        from_date: dt.date | None = None,
        until: dt.date | None = None,
        token: str | None = None,
    ) -> Iterator[OaiPage]:
        """Pages of a ``ListRecords`` request, following resumption tokens.

        With ``token`` the harvest continues where an earlier one stopped.
        """
        if token:
            params = {"verb": "ListRecords", "resumptionToken": token}
        else:
            params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
            if set_spec:
                params["set"] = set_spec
            if from_date:
                params["from"] = from_date.isoformat()
            if until:
                params["until"] = until.isoformat()
        while True:
            page = self.client.fetch(self.url, params, parse_page)
            yield page
            if not page.token:
                return
            params = {"verb": "ListRecords", "resumptionToken": page.token}

    def get_record(self, *, arxiv_id: str, metadata_prefix: str = "arXiv") -> OaiRecord | None:
        params = {
            "verb": "GetRecord",
            "identifier": f"oai:arXiv.org:{arxiv_id}",
            "metadataPrefix": metadata_prefix,
        }
        try:
            page = self.client.fetch(self.url, params, parse_page)
        except OaiError as exc:
            if exc.code == "idDoesNotExist":
                return None
            raise
        return page.records[0] if page.records else None
