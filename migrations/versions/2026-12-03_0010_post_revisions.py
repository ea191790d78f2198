"""posts: edit history, one row per version of a post's text (and of its topic's title)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:40:00

Posts edited before this migration have no history: their first edit afterwards keeps the text as it was then as
version 1.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        'post_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('editor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=True),
        sa.Column('raw', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('redacted_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['editor_id'], ['members.id'], name=op.f('fk_post_revisions_editor_id_members'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_revisions_post_id_posts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['redacted_by_id'], ['members.id'],
                                name=op.f('fk_post_revisions_redacted_by_id_members'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_post_revisions')),
        sa.UniqueConstraint('post_id', 'number', name=op.f('uq_post_revisions_post_id')),
    )

def downgrade():
    op.drop_table('post_revisions')
