"""topic_reads: how far each member has read each topic, for "new" markers and /unread

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:45:00

One row per member and opened topic; deleting the member or the topic deletes its rows.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('topic_reads',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('last_post_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_topic_reads_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_reads_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'topic_id', name=op.f('pk_topic_reads'))
    )
    with op.batch_alter_table('topic_reads', schema=None) as batch_op:
        batch_op.create_index('ix_topic_reads_topic_id', ['topic_id'], unique=False)


def downgrade():
    with op.batch_alter_table('topic_reads', schema=None) as batch_op:
        batch_op.drop_index('ix_topic_reads_topic_id')
    op.drop_table('topic_reads')
