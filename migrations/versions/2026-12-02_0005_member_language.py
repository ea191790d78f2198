"""members: their chosen language and time zone

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 21:00:00

Both empty for everyone at first: pages follow the browser's language and show UTC until a member chooses.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members') as batch:
        batch.add_column(sa.Column('locale', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('members') as batch:
        batch.drop_column('timezone')
        batch.drop_column('locale')
