"""Snowball's English stemmer, one per thread, for marking query words in snippets.

A snowballstemmer object keeps the word it is working on in its own
attributes: shared by the threads of a gunicorn worker, two stems at once
corrupt each other (IndexError inside the stemmer, found by
benchmarks/api.py at 32 clients). Each thread gets its own. (The SQLite
backend asks FTS5's own tokenizer for its stems: backends/sqlite.py.)
"""

from __future__ import annotations

import threading

import snowballstemmer

_local = threading.local()


def stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)
