"""members: consent to staff reposting their public posts outside Kindred, with or without their display name

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 19:00:00

Both off for everyone: nobody's words or name leave the site until they say so.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members') as batch:
        batch.add_column(sa.Column('repost_consent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('repost_name_consent', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('members') as batch:
        batch.drop_column('repost_name_consent')
        batch.drop_column('repost_consent')
