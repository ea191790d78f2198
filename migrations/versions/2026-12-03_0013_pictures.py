"""pictures attached to posts, messages, resource pages and announcements; who may post pictures in each group

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:40:00

A new `pictures` table (one row per attached picture; its stored files are named by content hash and may be shared
by several rows) and `groups.picture_policy` (everyone, trusted, nobody; existing groups: everyone).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _owner(column: str, table: str) -> sa.Column:
    # The owner is always known; of the four things a picture may belong to, exactly one is set.
    foreign_key = sa.ForeignKey(f'{table}.id', name=op.f(f'fk_pictures_{column}_{table}'), ondelete='CASCADE')
    return sa.Column(column, sa.Integer(), foreign_key, nullable=column != 'owner_id')


def upgrade():
    op.create_table('pictures',
    sa.Column('id', sa.Integer(), nullable=False),
    _owner('owner_id', 'members'),
    _owner('post_id', 'posts'),
    _owner('message_id', 'messages'),
    _owner('resource_id', 'resources'),
    _owner('announcement_id', 'announcements'),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('alt', sa.String(length=500), nullable=False),
    sa.Column('full_key', sa.String(length=80), nullable=False),
    sa.Column('thumb_key', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('thumb_width', sa.Integer(), nullable=False),
    sa.Column('thumb_height', sa.Integer(), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pictures'))
    )
    op.create_index('ix_pictures_owner_id', 'pictures', ['owner_id'])
    for column in ('post_id', 'message_id', 'resource_id', 'announcement_id'):
        op.create_index(f'ix_pictures_{column}', 'pictures', [column, 'position'])
    op.create_index('ix_pictures_full_key', 'pictures', ['full_key'])
    op.create_index('ix_pictures_thumb_key', 'pictures', ['thumb_key'])
    with op.batch_alter_table('groups') as batch:
        batch.add_column(sa.Column('picture_policy', sa.Enum(
            'everyone', 'trusted', 'nobody', name='group_picture_policy', native_enum=False, create_constraint=True,
            length=20), server_default='everyone', nullable=False))


def downgrade():
    with op.batch_alter_table('groups') as batch:
        batch.drop_constraint(op.f('ck_groups_group_picture_policy'), type_='check')
        batch.drop_column('picture_policy')
    op.drop_table('pictures')
