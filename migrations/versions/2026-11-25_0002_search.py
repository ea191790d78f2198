"""search index: SQLite FTS5 table or PostgreSQL tsvector table, with the triggers that keep it in sync

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:00:00

Hand-written: autogenerate cannot express virtual tables, triggers or text search configurations. The DDL lives in
app.services.search.index, which also applies it when tests build the schema with create_all().
"""
from alembic import op

from app.services.search.index import install, uninstall

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    install(op.get_bind())


def downgrade():
    uninstall(op.get_bind())
