"""Query by document: a judged collection turned into "papers like this one".

Related papers and an abstract pasted into the search box ask with a whole
document. No collection here judges that directly, but any judged one can:
for a query with at least two relevant documents, the first of them (its
title and text) becomes the query, and the others are what it should find,
as documents relevant to one need are related to each other. The query's
own document is left out of every ranking, which would otherwise find it
first. Nothing is tuned to this: it is the judged collections' own data
asked another way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dailypapers.search.evaluation.collections import Collection
from dailypapers.search.query import MAX_QUERY_CHARS


@dataclass
class ByDocument(Collection):
    # query id -> the document it was made of, left out of its ranking
    source: dict[str, str] = field(default_factory=dict)


def by_document(collection: Collection) -> ByDocument:
    # As the search box would take it: at most MAX_QUERY_CHARS.
    texts = {
        doc.id: f"{doc.title} {doc.text}".strip()[:MAX_QUERY_CHARS] for doc in collection.documents
    }
    queries, qrels, source = {}, {}, {}
    for qid in collection.judged():
        relevant = sorted(d for d in collection.qrels[qid] if d in texts)
        if len(relevant) < 2:
            continue
        queries[qid], qrels[qid], source[qid] = texts[relevant[0]], set(relevant[1:]), relevant[0]
    return ByDocument(
        name=f"{collection.name} by document",
        layout=collection.layout,
        documents=collection.documents,
        queries=queries,
        qrels=qrels,
        source=source,
    )


def excluded(collection: Collection) -> dict[str, str] | None:
    """What each query's ranking leaves out: its own document, if it is one."""
    return collection.source if isinstance(collection, ByDocument) else None
