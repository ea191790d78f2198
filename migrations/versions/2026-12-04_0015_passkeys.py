"""passkeys: members' WebAuthn credentials (passkeys and security keys) and the single-use challenges sent to them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 18:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('passkeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.LargeBinary(length=1023), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.Integer(), nullable=False),
    sa.Column('user_handle', sa.LargeBinary(length=64), nullable=False),
    sa.Column('transports', sa.String(length=100), server_default='', nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('passwordless', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_passkeys_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkeys')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_passkeys_credential_id'))
    )
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkeys_member_id'), ['member_id'], unique=False)

    op.create_table('passkey_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_passkey_challenges_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkey_challenges')),
    sa.UniqueConstraint('digest', name=op.f('uq_passkey_challenges_digest'))
    )
    with op.batch_alter_table('passkey_challenges', schema=None) as batch_op:
        batch_op.create_index('ix_passkey_challenges_expires_at', ['expires_at'], unique=False)
        batch_op.create_index('ix_passkey_challenges_member_id', ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('passkey_challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_passkey_challenges_member_id')
        batch_op.drop_index('ix_passkey_challenges_expires_at')

    op.drop_table('passkey_challenges')
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkeys_member_id'))

    op.drop_table('passkeys')
