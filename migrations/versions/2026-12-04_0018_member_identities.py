"""member identities: members linked to the organisation's OpenID Connect provider by (issuer, subject)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 18:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

ROLES = ('member', 'mentor', 'moderator', 'staff', 'admin')


def upgrade():
    op.create_table('member_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('granted_role', sa.Enum(*ROLES, name='identity_granted_role', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('role_before_grant', sa.Enum(*ROLES, name='identity_role_before_grant', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_identities_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_identities'))
    )
    with op.batch_alter_table('member_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_identities_member_id'), ['member_id'], unique=False)
        batch_op.create_index('uq_member_identities_issuer_subject', ['issuer', 'subject'], unique=True)


def downgrade():
    with op.batch_alter_table('member_identities', schema=None) as batch_op:
        batch_op.drop_index('uq_member_identities_issuer_subject')
        batch_op.drop_index(batch_op.f('ix_member_identities_member_id'))

    op.drop_table('member_identities')
