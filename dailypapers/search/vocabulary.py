"""The papers' words, counted again whole: what spelling suggestions
(spelling.py) and words written two ways (variants.py) read."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from dailypapers.papers.models import Paper
from dailypapers.search.models import Compound, Word
from dailypapers.search.variants import hyphenated

# Words counted: letters only (no ids, versions or numbers).
_WORD = re.compile(r"[^\W\d_]{3,32}")
# A word or a hyphenated word held by one paper only (a word in no title) is
# not kept: most are typos, names or one abstract's coinage, and they are
# most of a corpus's distinct words.
KEPT_FROM = 2
# Counting a million papers meets millions of distinct words; past this many
# those one paper holds so far are dropped (lossy counting: such a word loses
# the one paper counted before the drop, and only rare words are).
PRUNE_AT = 2_000_000


class LossyCounts:
    """How many papers hold each key, a paper at a time, in bounded memory
    (PRUNE_AT); ``keep``: keys never dropped."""

    def __init__(self, *, keep: Callable[[str], bool] = lambda key: False) -> None:
        self.counts: Counter = Counter()
        self._keep = keep
        self._limit = PRUNE_AT

    def add(self, keys: set) -> None:
        """The keys one paper holds."""
        self.counts.update(keys)
        if len(self.counts) > self._limit:
            self.counts = Counter(
                {key: n for key, n in self.counts.items() if n > 1 or self._keep(key)}
            )
            self._limit = max(PRUNE_AT, 2 * len(self.counts))


def words_of(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def count_papers(
    papers: Iterable[tuple[str, str, Iterable[str]]],
) -> tuple[Counter, set[str], dict[str, tuple[str, int]]]:
    """Of ``papers`` (each its title, abstract and authors' names), in one
    reading: how many hold each word, which words are words of a name, and
    how many write each hyphenated word (joined form -> (parts
    space-separated, papers); of two ways to split one joined form, the one
    more papers write).

    A title's words are kept however few papers hold them: a model's or a
    method's name in one title is what a reader types to find that paper,
    and suggesting a commoner word for it is wrong.
    """
    titled: set[str] = set()
    names: set[str] = set()
    words = LossyCounts(keep=titled.__contains__)
    written = LossyCounts()
    for title, abstract, authors in papers:
        in_title, in_names = words_of(title), words_of(" ".join(authors))
        words.add(in_title | in_names | words_of(abstract))
        written.add(set(hyphenated(f"{title} {abstract}")))
        titled |= in_title
        names |= in_names
    kept = Counter({w: n for w, n in words.counts.items() if n >= KEPT_FROM or w in titled})
    joined: dict[str, tuple[str, int]] = {}
    for parts, n in written.counts.items():
        word = "".join(parts)
        if n >= KEPT_FROM and n > joined.get(word, ("", 0))[1]:
            joined[word] = (" ".join(parts), n)
    return kept, names & kept.keys(), joined


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
    counts, names, joined = count_papers(
        (title, abstract, [author.get("name", "") for author in authors or ()])
        for title, abstract, authors in papers
    )
    with transaction.atomic():
        Word.objects.all().delete()
        Word.objects.bulk_create(
            (Word(word=word, papers=n, name=word in names) for word, n in counts.items()),
            batch_size=5000,
        )
        Compound.objects.all().delete()
        Compound.objects.bulk_create(
            (Compound(word=w, parts=parts, papers=n) for w, (parts, n) in joined.items()),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        # Filled anew, the table had no statistics, and PostgreSQL's planner
        # read all of it for each suggestion's lookup of 500 words (10 ms at
        # 75k papers) instead of its index (0.8 ms). Plain SQL on both backends.
        for table in (Word._meta.db_table, Compound._meta.db_table):
            cursor.execute(f"ANALYZE {table}")
    return f"words: {len(counts)} words and {len(joined)} hyphenated words counted"
