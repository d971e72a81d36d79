"""The papers' words, counted again whole: what spelling suggestions
(spelling.py) and words written two ways (variants.py) read."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from dailypapers.papers.models import Paper
from dailypapers.search import spelling, variants
from dailypapers.search.models import Compound, Word


def vocabulary_refresh(*, since: dt.datetime | None = None) -> str:
    """Count again how many papers hold each word (spelling.py) and each
    hyphenated word (variants.py), unless no paper was added or changed
    since ``since``; a one-line summary.

    Counted whole rather than kept in step: a changed abstract would
    otherwise need its old words uncounted. 75k papers take 10-11 s
    (benchmarks/spelling.py), mostly once a day, when the day's papers
    arrive.
    """
    if since is not None and not Paper.objects.filter(modified_at__gte=since).exists():
        return "words: no paper changed"
    papers = Paper.objects.values_list("title", "abstract", "authors").iterator(chunk_size=2000)
    written = variants.Counts()

    def read():
        # One reading of the papers for the words and the hyphenated words.
        for title, abstract, authors in papers:
            written.add(f"{title} {abstract}")
            yield title, abstract, [author.get("name", "") for author in authors or ()]

    counts, names = spelling.word_counts(read())
    hyphenated = written.kept()
    with transaction.atomic():
        Word.objects.all().delete()
        Word.objects.bulk_create(
            (Word(word=word, papers=n, name=word in names) for word, n in counts.items()),
            batch_size=5000,
        )
        Compound.objects.all().delete()
        Compound.objects.bulk_create(
            (Compound(word=w, parts=parts, papers=n) for w, (parts, n) in hyphenated.items()),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        # Filled anew, the table had no statistics, and PostgreSQL's planner
        # read all of it for each suggestion's lookup of 500 words (10 ms at
        # 75k papers) instead of its index (0.8 ms). Plain SQL on both backends.
        for table in (Word._meta.db_table, Compound._meta.db_table):
            cursor.execute(f"ANALYZE {table}")
    return f"words: {len(counts)} words and {len(hyphenated)} hyphenated words counted"
