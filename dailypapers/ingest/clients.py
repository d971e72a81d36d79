"""arXiv clients configured from settings."""

from __future__ import annotations

from django.conf import settings

from dailypapers.ingest.arxiv_api import ArxivApi
from dailypapers.ingest.http import PoliteClient
from dailypapers.ingest.oai import OaiClient


def polite_client() -> PoliteClient:
    return PoliteClient(
        min_interval=settings.ARXIV_MIN_INTERVAL,
        retries=settings.ARXIV_RETRIES,
        backoff=settings.ARXIV_BACKOFF,
        contact=settings.ARXIV_CONTACT_EMAIL,
    )


def arxiv_api(client: PoliteClient | None = None, *, url: str | None = None) -> ArxivApi:
    return ArxivApi(client=client or polite_client(), url=url or settings.ARXIV_API_URL)


def oai_client(client: PoliteClient | None = None, *, url: str | None = None) -> OaiClient:
    return OaiClient(client=client or polite_client(), url=url or settings.ARXIV_OAI_URL)


def interactive_arxiv_api() -> ArxivApi:
    """For a request a person is waiting on (a submission): one quick retry, not minutes."""
    client = PoliteClient(
        min_interval=settings.ARXIV_MIN_INTERVAL,
        timeout=20.0,
        retries=1,
        backoff=2.0,
        max_wait=10.0,
        contact=settings.ARXIV_CONTACT_EMAIL,
    )
    return arxiv_api(client)
