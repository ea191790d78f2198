"""The full-text index, kept in sync by the database itself: one source of DDL for migrations and create_all().

Each post has one index document: its topic's title (opening posts only) and its Markdown body. Triggers keep the
documents in step with every INSERT, UPDATE and DELETE, whatever code wrote the row; who may *see* a post (its status,
its topic's status, its group) is decided at query time by joining back to posts, topics and groups, so hiding,
approving, rejecting, deleting or moving never needs to touch the index.

- SQLite: an FTS5 table `search_fts` (rowid = post id), unicode61 tokenizer folding case and accents. It holds its
  own copy of the text, folded, which only the index reads: titles and snippets are made from the posts themselves.
- PostgreSQL: a table `search_documents` (post id, weighted tsvector) with a GIN index, built with the text search
  configuration `kindred_search`: `simple` (no stemming, lower-cased) plus `unaccent` when the extension exists.

Before either tokenizer sees a title or a body, `kindred_fold()` (app.text.folding) evens out what the tokenizers
leave alone, Arabic's optional marks and letter variants above all: on SQLite an application function registered on
every connection (app.database.pragmas), on PostgreSQL the same table written out as an IMMUTABLE SQL function.
"""

# ruff: noqa: S608 - every statement here is constant DDL built from the module's own names
from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from app.extensions import db
from app.text.folding import FOLDS, SQL_NAME

FTS_TABLE = "search_fts"
PG_TABLE = "search_documents"
PG_CONFIG = "kindred_search"

_SQLITE_DOCUMENT = f"""
  SELECT {{post}}.id, {SQL_NAME}(CASE WHEN {{post}}.is_opening THEN t.title ELSE '' END), {SQL_NAME}({{post}}.raw)
  FROM topics AS t WHERE t.id = {{post}}.topic_id"""

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS search_posts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO {FTS_TABLE} (rowid, title, body) {_SQLITE_DOCUMENT.format(post="NEW")};
END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_posts_update AFTER UPDATE OF raw, is_opening, topic_id ON posts BEGIN
  DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;
  INSERT INTO {FTS_TABLE} (rowid, title, body) {_SQLITE_DOCUMENT.format(post="NEW")};
END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_posts_delete AFTER DELETE ON posts BEGIN
  DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;
END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_topics_title AFTER UPDATE OF title ON topics BEGIN
  UPDATE {FTS_TABLE} SET title = {SQL_NAME}(NEW.title)
  WHERE rowid IN (SELECT id FROM posts WHERE topic_id = NEW.id AND is_opening);
END""",
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_topics_title",
    "DROP TRIGGER IF EXISTS search_posts_delete",
    "DROP TRIGGER IF EXISTS search_posts_update",
    "DROP TRIGGER IF EXISTS search_posts_insert",
]
# Posts written before the index existed (an upgrade of a live database).
_SQLITE_BACKFILL = (
    f"INSERT INTO {FTS_TABLE} (rowid, title, body) SELECT p.id, "
    f"{SQL_NAME}(CASE WHEN p.is_opening THEN t.title ELSE '' END), {SQL_NAME}(p.raw) "
    f"FROM posts AS p JOIN topics AS t ON t.id = p.topic_id WHERE p.id NOT IN (SELECT rowid FROM {FTS_TABLE})"
)

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '3')",
    *SQLITE_TRIGGERS,
    _SQLITE_BACKFILL,
]
SQLITE_REBUILD = [*SQLITE_DROP_TRIGGERS, *SQLITE_TRIGGERS, f"DELETE FROM {FTS_TABLE}", _SQLITE_BACKFILL]
SQLITE_DROP = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def _pg_literal(text: str) -> str:
    """A string literal with every non-ASCII character escaped: Arabic marks would otherwise be invisible in the
    DDL, combining with the quote beside them."""
    if text.isascii():
        return "'" + text.replace("'", "''") + "'"
    escaped = (c if c.isascii() and c not in "'\\" else f"\\{ord(c):04X}" for c in text)
    return "U&'" + "".join(escaped) + "'"


def _pg_fold(argument: str) -> str:
    """FOLDS as one SQL expression: translate() maps the single letters and drops the marks, replace() the rest."""
    singles = {key: value for key, value in FOLDS.items() if len(value) == 1}
    dropped = "".join(key for key, value in FOLDS.items() if not value)
    source, target = _pg_literal("".join(singles) + dropped), _pg_literal("".join(singles.values()))
    expression = f"translate({argument}, {source}, {target})"
    for key, value in FOLDS.items():
        if len(value) > 1:
            expression = f"replace({expression}, {_pg_literal(key)}, {_pg_literal(value)})"
    return expression


def _pg_document(title: str, body: str) -> str:
    """The weighted tsvector of one post: the title counts for more (A) than the body (B)."""
    return (
        f"setweight(to_tsvector('{PG_CONFIG}', {SQL_NAME}(coalesce({title}, ''))), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', {SQL_NAME}({body})), 'B')"
    )


# The fold runs first, then the configuration's unaccent and lower-casing, on the documents and on the queries alike.
_PG_FOLD_FUNCTION = f"""CREATE OR REPLACE FUNCTION {SQL_NAME}(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT {_pg_fold("$1")} $$"""

_PG_SETUP = [
    # Accent folding needs the unaccent extension; without it the configuration still folds case.
    f"""DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{PG_CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple);
    BEGIN
      CREATE EXTENSION IF NOT EXISTS unaccent;
      ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'unaccent is not available: search folds case but not accents';
    END;
  END IF;
END $$""",
    f"""CREATE TABLE IF NOT EXISTS {PG_TABLE} (
  post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  document TSVECTOR NOT NULL
)""",
    f"CREATE INDEX IF NOT EXISTS ix_{PG_TABLE}_document ON {PG_TABLE} USING gin (document)",
    # Search joins every match back to its post and topic to check visibility: these covering indexes answer
    # those lookups (and the search filters) without reading the wide rows themselves.
    "CREATE INDEX IF NOT EXISTS ix_search_posts_lookup ON posts (id) "
    "INCLUDE (status, topic_id, author_id, is_opening, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_search_topics_lookup ON topics (id) INCLUDE (status, group_id)",
]
POSTGRES_TRIGGERS = [
    _PG_FOLD_FUNCTION,
    f"""CREATE OR REPLACE FUNCTION search_index_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {PG_TABLE} (post_id, document)
  SELECT NEW.id, {_pg_document("CASE WHEN NEW.is_opening THEN t.title END", "NEW.raw")}
  FROM topics AS t WHERE t.id = NEW.topic_id
  ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION search_index_topic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {PG_TABLE} AS d SET document = {_pg_document("NEW.title", "p.raw")}
  FROM posts AS p WHERE p.topic_id = NEW.id AND p.is_opening AND d.post_id = p.id;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS search_index_post ON posts",
    "CREATE TRIGGER search_index_post AFTER INSERT OR UPDATE OF raw, is_opening, topic_id ON posts "
    "FOR EACH ROW EXECUTE FUNCTION search_index_post()",
    "DROP TRIGGER IF EXISTS search_index_topic ON topics",
    "CREATE TRIGGER search_index_topic AFTER UPDATE OF title ON topics "
    "FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION search_index_topic()",
]
# Posts written before the index existed (an upgrade of a live database).
_PG_BACKFILL = (
    f"INSERT INTO {PG_TABLE} (post_id, document) "
    f"SELECT p.id, {_pg_document('CASE WHEN p.is_opening THEN t.title END', 'p.raw')} "
    "FROM posts AS p JOIN topics AS t ON t.id = p.topic_id ON CONFLICT (post_id) DO NOTHING"
)

POSTGRES_CREATE = [*_PG_SETUP, *POSTGRES_TRIGGERS, _PG_BACKFILL]
POSTGRES_REBUILD = [*POSTGRES_TRIGGERS, f"TRUNCATE {PG_TABLE}", _PG_BACKFILL]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS search_index_topic ON topics",
    "DROP TRIGGER IF EXISTS search_index_post ON posts",
    "DROP FUNCTION IF EXISTS search_index_topic()",
    "DROP FUNCTION IF EXISTS search_index_post()",
    f"DROP FUNCTION IF EXISTS {SQL_NAME}(text)",
    "DROP INDEX IF EXISTS ix_search_topics_lookup",
    "DROP INDEX IF EXISTS ix_search_posts_lookup",
    f"DROP TABLE IF EXISTS {PG_TABLE}",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
]

_CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
_REBUILD = {"sqlite": SQLITE_REBUILD, "postgresql": POSTGRES_REBUILD}
_DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}


def create_statements(dialect: str) -> list[str]:
    """The DDL that builds (and back-fills) the search index on this database."""
    return _CREATE[dialect]


def drop_statements(dialect: str) -> list[str]:
    """The DDL that removes the search index, leaving the tables of the models untouched."""
    return _DROP[dialect]


def install(connection: Connection) -> None:
    """Build the index on this connection's database (used by create_all() and by migration 0002)."""
    for statement in create_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def rebuild(connection: Connection) -> None:
    """Replace the triggers (and functions) with the ones above and index every post again: for a migration that
    changes how documents are made, since documents already indexed keep the old way until rewritten."""
    for statement in _REBUILD[connection.dialect.name]:
        connection.exec_driver_sql(statement)


def forget_replaced_words() -> None:
    """Drop every trace of text the posts no longer hold (in the caller's transaction). SQLite's FTS5 keeps a
    replaced document's terms in its index segments until they are merged: `optimize` merges them all, rewriting
    the index (seconds on a large community, so only for erasures). PostgreSQL replaces the row's tsvector."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))


def uninstall(connection: Connection) -> None:
    """Remove the index; run before the tables go, since PostgreSQL's index table refers to posts."""
    for statement in drop_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic filter: autogenerate leaves the hand-written search objects alone."""
    if type_ == "table" and name is not None:
        return not is_search_table(name)
    if type_ == "index" and name is not None:
        return not name.startswith("ix_search_")
    return True


def is_search_table(name: str) -> bool:
    """The index tables, FTS5's shadow tables included (search_fts_data, search_fts_idx, ...)."""
    return name in (FTS_TABLE, PG_TABLE) or name.startswith(f"{FTS_TABLE}_")


def _after_create(target: Any, connection: Connection, **kw: Any) -> None:
    install(connection)


def _before_drop(target: Any, connection: Connection, **kw: Any) -> None:
    uninstall(connection)


event.listen(db.metadata, "after_create", _after_create)
event.listen(db.metadata, "before_drop", _before_drop)
