"""mail replies: incoming reply e-mails already handled, so none is posted twice

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 19:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_key', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('answered', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_mail_replies_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_replies')),
    sa.UniqueConstraint('message_key', name=op.f('uq_mail_replies_message_key'))
    )
    with op.batch_alter_table('mail_replies', schema=None) as batch_op:
        batch_op.create_index('ix_mail_replies_member_received', ['member_id', 'received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_replies', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_replies_member_received')

    op.drop_table('mail_replies')
