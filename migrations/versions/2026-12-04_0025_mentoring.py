"""mentoring: mentors' welcomes of new members' first posts, and check-ins after crisis-routed posts

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 19:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('welcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('welcomed_by_id', sa.Integer(), nullable=True),
    sa.Column('welcomed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['members.id'], name=op.f('fk_welcomes_claimed_by_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_welcomes_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['welcomed_by_id'], ['members.id'], name=op.f('fk_welcomes_welcomed_by_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_welcomes')),
    sa.UniqueConstraint('post_id', name=op.f('uq_welcomes_post_id'))
    )
    with op.batch_alter_table('welcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welcomes_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_welcomes_welcomed_by_id'), ['welcomed_by_id'], unique=False)
        batch_op.create_index('ix_welcomes_welcomed_at', ['welcomed_at'], unique=False)

    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('how', sa.Enum('message', 'reply', name='check_in_method', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['members.id'], name=op.f('fk_check_ins_checked_by_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_check_ins_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_check_ins_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins')),
    sa.UniqueConstraint('post_id', name=op.f('uq_check_ins_post_id'))
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_ins_checked_by_id'), ['checked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_ins_member_id'), ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_ins_member_id'))
        batch_op.drop_index(batch_op.f('ix_check_ins_checked_by_id'))

    op.drop_table('check_ins')
    with op.batch_alter_table('welcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_welcomes_welcomed_at')
        batch_op.drop_index(batch_op.f('ix_welcomes_welcomed_by_id'))
        batch_op.drop_index(batch_op.f('ix_welcomes_claimed_by_id'))

    op.drop_table('welcomes')
