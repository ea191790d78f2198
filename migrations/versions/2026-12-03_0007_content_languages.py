"""guidelines and announcements in several languages

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 07:00:00

Every guidelines version and announcement gets the language it is written in; the rows already there get the
community's default language (KINDRED_DEFAULT_LOCALE, as the app that runs the upgrade is configured). Guideline
version numbers stay unique among the originals only: a translation carries the number of the version it translates.
Announcements get a table of their texts in other languages.
"""
import os

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _default_locale() -> str:
    try:
        from flask import current_app

        return current_app.config["DEFAULT_LOCALE"]
    except (RuntimeError, KeyError):  # run outside the app (plain `alembic`): the same setting, from the environment
        return os.environ.get("KINDRED_DEFAULT_LOCALE", "en").strip() or "en"


def _add_locale(table: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column('locale', sa.String(length=16), nullable=True))
    op.execute(sa.table(table, sa.column('locale')).update().values(locale=_default_locale()))
    with op.batch_alter_table(table) as batch:
        batch.alter_column('locale', existing_type=sa.String(length=16), nullable=False)


def upgrade():
    _add_locale('guidelines_versions')
    with op.batch_alter_table('guidelines_versions') as batch:
        batch.add_column(sa.Column('is_translation', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.drop_constraint('uq_guidelines_versions_number', type_='unique')
    op.create_index(
        'uq_guidelines_versions_original_number', 'guidelines_versions', ['number'], unique=True,
        sqlite_where=sa.text('NOT is_translation'), postgresql_where=sa.text('NOT is_translation'),
    )
    _add_locale('announcements')
    op.create_table('announcement_translations',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('cooked', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_translations_announcement_id_announcements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'locale', name=op.f('pk_announcement_translations'))
    )


def downgrade():
    # Translations go: only the originals fit the one-language schema.
    op.drop_table('announcement_translations')
    with op.batch_alter_table('announcements') as batch:
        batch.drop_column('locale')
    op.execute(sa.text('DELETE FROM guidelines_versions WHERE is_translation'))
    op.drop_index('uq_guidelines_versions_original_number', table_name='guidelines_versions')
    with op.batch_alter_table('guidelines_versions') as batch:
        batch.create_unique_constraint('uq_guidelines_versions_number', ['number'])
        batch.drop_column('is_translation')
        batch.drop_column('locale')
