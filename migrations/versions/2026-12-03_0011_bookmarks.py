"""bookmarks: members keep topics and posts for later, with a private note and an optional reminder

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_bookmarks_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_bookmarks_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_bookmarks_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks'))
    )
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.create_index('ix_bookmarks_due', ['reminded_at', 'remind_at'], unique=False)
        batch_op.create_index('ix_bookmarks_member_created', ['member_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_bookmarks_post_id', ['post_id'], unique=False)
        batch_op.create_index('ix_bookmarks_topic_id', ['topic_id'], unique=False)
        batch_op.create_index('uq_bookmarks_member_post', ['member_id', 'post_id'], unique=True)
        batch_op.create_index('uq_bookmarks_member_topic', ['member_id', 'topic_id'], unique=True,
                              sqlite_where=sa.text('post_id IS NULL'), postgresql_where=sa.text('post_id IS NULL'))


def downgrade():
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.drop_index('uq_bookmarks_member_topic', sqlite_where=sa.text('post_id IS NULL'),
                            postgresql_where=sa.text('post_id IS NULL'))
        batch_op.drop_index('uq_bookmarks_member_post')
        batch_op.drop_index('ix_bookmarks_topic_id')
        batch_op.drop_index('ix_bookmarks_post_id')
        batch_op.drop_index('ix_bookmarks_member_created')
        batch_op.drop_index('ix_bookmarks_due')

    op.drop_table('bookmarks')
