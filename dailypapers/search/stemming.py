"""Snowball stemmers, one per thread.

A snowballstemmer object keeps the word it is working on in its own
attributes: shared by the threads of a gunicorn worker, two stems at once
corrupt each other (IndexError inside the stemmer, found by
benchmarks/api.py at 32 clients). Each thread gets its own.
"""

from __future__ import annotations

import threading

import snowballstemmer

_local = threading.local()


def stem(word: str, *, algorithm: str = "english") -> str:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(algorithm)
    if stemmer is None:
        stemmer = stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmer.stemWord(word)
