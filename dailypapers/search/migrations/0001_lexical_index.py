"""The full-text index of the database in use: FTS5 on SQLite, a tsvector on PostgreSQL.

The statements are written out here, not taken from search.backends: a
migration must do tomorrow what it did when it was written.
"""

from django.db import migrations

_AUTHORS = "(SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each({row}.authors))"
SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, authors,
        content='papers_paper', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON papers_paper BEGIN
        INSERT INTO search_fts(rowid, title, body, authors)
        VALUES (new.id, new.title, new.title || ' ' || new.abstract, {_AUTHORS.format(row="new")});
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON papers_paper BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, authors)
        VALUES ('delete', old.id, old.title, old.title || ' ' || old.abstract, {_AUTHORS.format(row="old")});
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE OF title, abstract, authors ON papers_paper BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, authors)
        VALUES ('delete', old.id, old.title, old.title || ' ' || old.abstract, {_AUTHORS.format(row="old")});
        INSERT INTO search_fts(rowid, title, body, authors)
        VALUES (new.id, new.title, new.title || ' ' || new.abstract, {_AUTHORS.format(row="new")});
    END""",
    "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', 33554432)",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    f"""INSERT INTO search_fts(rowid, title, body, authors)
        SELECT id, title, title || ' ' || abstract, {_AUTHORS.format(row="papers_paper")} FROM papers_paper""",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    """ALTER TABLE papers_paper ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(abstract, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(jsonb_path_query_array(authors, '$[*].name')::text, '')), 'C')
    ) STORED""",
    "CREATE INDEX search_tsv_gin ON papers_paper USING GIN (search_tsv)",
    "ALTER TABLE papers_paper ALTER COLUMN search_tsv SET STORAGE MAIN",
    "ALTER TABLE papers_paper ALTER COLUMN search_tsv SET STATISTICS 1000",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_tsv_gin",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS search_tsv",
]
STATEMENTS = {"sqlite": (SQLITE, SQLITE_DROP), "postgresql": (POSTGRES, POSTGRES_DROP)}


def install(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][0]:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("papers", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
