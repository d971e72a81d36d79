"""What an importer hands to the paper services: one source's view of a paper.

Every source (a saved page, a Daily Papers day file, the arXiv API, OAI-PMH,
the metadata snapshot) is parsed into these plain records first, so that
merging, matching and storage are written once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from dailypapers.papers import identifiers, links
from dailypapers.papers.text import clean_text

# Where a record comes from decides how much it is trusted (papers.merge).
SOURCE_ARXIV = "arxiv"  # query API, OAI-PMH, metadata snapshot
SOURCE_DAILY_PAPERS = "daily_papers"
SOURCE_SAVED_PAGE = "saved_page"
AUTHORITY = {SOURCE_ARXIV: 2, SOURCE_DAILY_PAPERS: 1, SOURCE_SAVED_PAGE: 1}


@dataclass
class PaperRecord:
    title: str
    # For arXiv records: when the version described was submitted. For other
    # sources: when the source was observed (a day file's day, a page's date).
    observed_at: dt.datetime
    source: str
    arxiv_id: str | None = None
    version: int | None = None
    abstract: str = ""
    authors: list[dict[str, str]] = field(default_factory=list)
    authors_count: int | None = None
    categories: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    # True when the source gives a day, not a time: it never replaces a more
    # precise timestamp of the same day.
    published_is_date_only: bool = False
    updated_at: dt.datetime | None = None
    comments: str = ""
    doi: str = ""
    journal_ref: str = ""
    report_no: str = ""
    license: str = ""
    # Links the source states outright (Daily Papers' githubRepo/projectPage);
    # they take precedence over links found in the abstract.
    code_url: str = ""
    project_url: str = ""
    upvotes: int | None = None
    num_comments: int | None = None

    def __post_init__(self) -> None:
        self.title = clean_text(self.title)
        self.abstract = clean_text(self.abstract)
        self.comments = clean_text(self.comments)
        self.journal_ref = clean_text(self.journal_ref)
        if self.authors and self.authors_count is None:
            self.authors_count = len(self.authors)

    # Records are not changed after they are made, so what is derived from
    # them is computed once.
    @cached_property
    def title_key(self) -> str:
        return identifiers.title_key(self.title)

    @property
    def identity(self) -> str:
        return self.arxiv_id or f"title:{self.title_key}"

    def found_links(self) -> list[links.Link]:
        return self._found_links

    @cached_property
    def _found_links(self) -> list[links.Link]:
        found = links.extract_links(self.abstract)
        stated = [
            links.Link(kind, url)
            for kind, url in ((links.CODE, self.code_url), (links.PROJECT, self.project_url))
            if url
        ]
        urls = {link.url for link in stated}
        return stated + [link for link in found if link.url not in urls]


@dataclass
class ListingRecord:
    """A paper featured on a day, as a source reports it."""

    identity: str  # PaperRecord.identity of the paper
    day: dt.date
    source: str
    status: str = "featured"
    submitter_name: str = ""
    submitter_fullname: str = ""
    submitted_at: dt.datetime | None = None
    position: int | None = None
