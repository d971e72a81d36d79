"""The lexical backend of the current database."""

from __future__ import annotations

from django.db import connection

from dailypapers.search.backends.base import LexicalBackend


def lexical_backend(conn=None) -> LexicalBackend:
    vendor = (conn or connection).vendor
    if vendor == "sqlite":
        from dailypapers.search.backends.sqlite import SqliteFts5

        return SqliteFts5()
    if vendor == "postgresql":
        from dailypapers.search.backends.postgres import PostgresTsvector

        return PostgresTsvector()
    raise RuntimeError(f"no search backend for the {vendor} database")
