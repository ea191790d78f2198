"""email_login_links: sign-in links sent by e-mail, one row per link not yet used

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 18:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('email_login_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_email_login_links_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_login_links')),
    sa.UniqueConstraint('nonce_hash', name=op.f('uq_email_login_links_nonce_hash'))
    )
    with op.batch_alter_table('email_login_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_login_links_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_login_links_member_id'), ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('email_login_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_login_links_member_id'))
        batch_op.drop_index(batch_op.f('ix_email_login_links_created_at'))

    op.drop_table('email_login_links')
