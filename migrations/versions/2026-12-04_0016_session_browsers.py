"""session browsers: each signed-in browser's family and platform, and when it last proved the password

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('browser', sa.String(length=20), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('platform', sa.String(length=20), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('platform')
        batch_op.drop_column('browser')
