"""What a page of paper cards needs to know about the reader, in two queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from dailypapers.community.selectors import voted_paper_ids
from dailypapers.library.selectors import saved_paper_ids


def card_flags(request: HttpRequest, paper_ids: Iterable[int]) -> dict[str, set[int]]:
    """``voted_ids`` and ``saved_ids`` among ``paper_ids`` for the cards' buttons."""
    ids = list(paper_ids)
    return {
        "voted_ids": voted_paper_ids(user=request.user, paper_ids=ids),
        "saved_ids": saved_paper_ids(user=request.user, paper_ids=ids),
    }
