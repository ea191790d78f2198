"""nudge phrases: words and phrases staff add to the nudges shown before posting (personal information, advice)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 19:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('nudge_phrases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('phrase', sa.String(length=100), nullable=False),
    sa.Column('phrase_key', sa.String(length=400), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_nudge_phrases_created_by_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nudge_phrases')),
    sa.UniqueConstraint('kind', 'phrase_key', name='uq_nudge_phrases_kind_phrase_key')
    )


def downgrade():
    op.drop_table('nudge_phrases')
