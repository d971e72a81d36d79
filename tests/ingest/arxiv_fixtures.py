"""Recorded arXiv responses and the replay routes built from them."""

from __future__ import annotations

import dataclasses
import json
import re

from tests.conftest import TEST_DATA
from tests.replay import ReplayServer, Reply

API = TEST_DATA / "arxiv_api"
OAI = TEST_DATA / "arxiv_oai_pmh"
CS_LIST = OAI / "sample_arxiv_response_listrecords_cs.xml"
CS_QUERY = {
    "verb": "ListRecords",
    "metadataPrefix": "arXiv",
    "set": "cs",
    "from": "2015-01-16",
    "until": "2015-01-18",
}


def api_body(name_prefix: str) -> bytes:
    (path,) = API.glob(f"{name_prefix}_*.xml")
    return path.read_bytes()


def api_query(
    *, id_list: str = "", search_query: str = "", start: int = 0, max_results: int = 100
) -> dict:
    return {
        "search_query": search_query,
        "id_list": id_list,
        "start": str(start),
        "max_results": str(max_results),
    }


def cs_records() -> list[str]:
    """The 46 <record> elements of the real cs ListRecords response, verbatim."""
    return re.findall(r"<record>.*?</record>", CS_LIST.read_text(), flags=re.DOTALL)


def cs_pages(page_size: int = 20) -> list[tuple[str | None, bytes]]:
    """The real records split into pages joined by arXiv-style resumption tokens.

    Returns (token that requests the page, body); the first page has no token.
    """
    text = CS_LIST.read_text()
    head = text[: text.index("<ListRecords>") + len("<ListRecords>")]
    records = cs_records()
    pages = []
    for number, start in enumerate(range(0, len(records), page_size)):
        chunk = records[start : start + page_size]
        last = start + page_size >= len(records)
        token_text = "" if last else f"6960524|{start + page_size + 1}"
        token = (
            f'<resumptionToken cursor="{start}" completeListSize="{len(records)}">{token_text}'
            "</resumptionToken>"
        )
        body = head + "\n" + "\n".join(chunk) + "\n" + token + "\n</ListRecords>\n</OAI-PMH>\n"
        requested_by = None if number == 0 else f"6960524|{start + 1}"
        pages.append((requested_by, body.encode()))
    return pages


def add_cs_harvest(
    server: ReplayServer,
    *,
    path: str = "/oai",
    before: dict[int, list[Reply]] | None = None,
    delay_first: dict[int, float] | None = None,
    first_query: dict | None = None,
) -> list[tuple[str | None, bytes]]:
    """Routes for the paged cs harvest.

    ``before[n]`` are replies given for page n before the real one (errors to
    retry); ``delay_first[n]`` delays the first answer to page n.
    """
    pages = cs_pages()
    for number, (token, body) in enumerate(pages, start=1):
        query = (
            (first_query or CS_QUERY)
            if token is None
            else {"verb": "ListRecords", "resumptionToken": token}
        )
        replies = [*(before or {}).get(number, []), Reply(body)]
        if number in (delay_first or {}):
            replies.insert(0, dataclasses.replace(replies[0], delay=delay_first[number]))
        server.add(path, query, *replies)
    return pages


def recorded_503_exchange() -> list[Reply]:
    """arXiv's real answer to an early harvest: 503 Retry-After 10, then the records."""
    exchange = json.loads(
        (OAI / "oaipmh-listrecords---should-list-identifiers-from-arxiv.json").read_text()
    )
    replies = []
    for item in exchange:
        raw = item["rawHeaders"]
        headers = dict(zip(raw[::2], raw[1::2], strict=True))
        keep = {k: v for k, v in headers.items() if k in ("Retry-After", "Content-Type")}
        replies.append(Reply(item["response"].encode(), status=int(item["status"]), headers=keep))
    return replies
