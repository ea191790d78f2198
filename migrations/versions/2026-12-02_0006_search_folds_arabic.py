"""search index: titles and bodies folded by kindred_fold() before they are indexed, every post indexed again

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 21:15:00

Arabic with or without its short-vowel marks, tatweel and alef variants, and the ligatures œ, æ and ß, now match
their plain spelling (see app.text.folding). Upgrading replaces the index's triggers with those app.services.search
.index describes and rewrites every document, which takes a moment on a large database. On SQLite the triggers call
an application function the app registers on each connection: after this revision, write to posts and topics
through the app (the sqlite3 shell would answer "no such function: kindred_fold").

Downgrading puts back the triggers of revision 0002 as they were, written out below since the code no longer
describes them, and indexes every post again without the fold.
"""
from alembic import op

from app.services.search.index import rebuild

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    rebuild(op.get_bind())


SQLITE_DOCUMENT = """SELECT {post}.id, CASE WHEN {post}.is_opening THEN t.title ELSE '' END, {post}.raw
  FROM topics AS t WHERE t.id = {post}.topic_id"""

SQLITE_UNFOLDED = [
    "DROP TRIGGER IF EXISTS search_topics_title",
    "DROP TRIGGER IF EXISTS search_posts_delete",
    "DROP TRIGGER IF EXISTS search_posts_update",
    "DROP TRIGGER IF EXISTS search_posts_insert",
    f"""CREATE TRIGGER search_posts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO search_fts (rowid, title, body) {SQLITE_DOCUMENT.format(post="NEW")};
END""",
    f"""CREATE TRIGGER search_posts_update AFTER UPDATE OF raw, is_opening, topic_id ON posts BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id;
  INSERT INTO search_fts (rowid, title, body) {SQLITE_DOCUMENT.format(post="NEW")};
END""",
    """CREATE TRIGGER search_posts_delete AFTER DELETE ON posts BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id;
END""",
    """CREATE TRIGGER search_topics_title AFTER UPDATE OF title ON topics BEGIN
  UPDATE search_fts SET title = NEW.title
  WHERE rowid IN (SELECT id FROM posts WHERE topic_id = NEW.id AND is_opening);
END""",
    "DELETE FROM search_fts",
    "INSERT INTO search_fts (rowid, title, body) SELECT p.id, CASE WHEN p.is_opening THEN t.title ELSE '' END, p.raw "
    "FROM posts AS p JOIN topics AS t ON t.id = p.topic_id",
]

PG_DOCUMENT = ("setweight(to_tsvector('kindred_search', coalesce({title}, '')), 'A') || "
               "setweight(to_tsvector('kindred_search', {body}), 'B')")

POSTGRES_UNFOLDED = [
    f"""CREATE OR REPLACE FUNCTION search_index_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_documents (post_id, document)
  SELECT NEW.id, {PG_DOCUMENT.format(title="CASE WHEN NEW.is_opening THEN t.title END", body="NEW.raw")}
  FROM topics AS t WHERE t.id = NEW.topic_id
  ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION search_index_topic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE search_documents AS d SET document = {PG_DOCUMENT.format(title="NEW.title", body="p.raw")}
  FROM posts AS p WHERE p.topic_id = NEW.id AND p.is_opening AND d.post_id = p.id;
  RETURN NULL;
END $$""",
    "TRUNCATE search_documents",
    "INSERT INTO search_documents (post_id, document) "
    f"SELECT p.id, {PG_DOCUMENT.format(title='CASE WHEN p.is_opening THEN t.title END', body='p.raw')} "
    "FROM posts AS p JOIN topics AS t ON t.id = p.topic_id",
    "DROP FUNCTION IF EXISTS kindred_fold(text)",
]


def downgrade():
    connection = op.get_bind()
    statements = POSTGRES_UNFOLDED if connection.dialect.name == "postgresql" else SQLITE_UNFOLDED
    for statement in statements:
        connection.exec_driver_sql(statement)
