"""Search by words and by meaning: what pages, the API, feeds and digests call.

    from dailypapers import search
    results = search.paper_search(query=search.from_params(request.GET), page=1)

Behind it: query.py reads what was typed, variants.py adds the forms the
papers write its words in, hybrid.py ranks (backends/ for keywords,
vectors/ for meaning), selectors.py pages and highlights the results,
spelling.py suggests what a typo meant, services.py embeds papers and
rebuilds the vector index. Django imports this package before models are
ready, so its names load on first use (PEP 562) instead of here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_NAMES = {
    "SearchQuery": "query",
    "Filters": "query",
    "from_params": "query",
    "to_params": "query",
    "SORTS": "query",
    "MODES": "query",
    "MAX_QUERY_CHARS": "query",
    "paper_search": "selectors",
    "related_papers": "selectors",
    "vector_coverage": "selectors",
    "category_facets": "selectors",
    "SearchResults": "selectors",
    "paper_vectors": "selectors",
    "author_papers": "selectors",
    "nearest_papers": "selectors",
    "index_if_needed": "services",
    "spelling_suggestion": "spelling",
}

if TYPE_CHECKING:
    from dailypapers.search.query import (  # noqa: F401
        MAX_QUERY_CHARS,
        MODES,
        SORTS,
        Filters,
        SearchQuery,
        from_params,
        to_params,
    )
    from dailypapers.search.selectors import (  # noqa: F401
        SearchResults,
        author_papers,
        category_facets,
        nearest_papers,
        paper_search,
        paper_vectors,
        related_papers,
        vector_coverage,
    )
    from dailypapers.search.services import index_if_needed  # noqa: F401
    from dailypapers.search.spelling import spelling_suggestion  # noqa: F401


def __getattr__(name: str):
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_NAMES])
