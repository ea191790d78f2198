"""events: staff-run Q&A sessions, support meetings and webinars; members' RSVPs and private calendar feeds

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-04 18:30:00

`events` (times in UTC beside the zone they were written in; `going_count` is the guarded counter of places
taken), `event_rsvps` (going or waiting, one per member and event, with reminder bookkeeping) and
`event_calendar_feeds` (the random key in each member's signed feed address).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('qa', 'meeting', 'webinar', 'other', name='event_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=300), server_default='', nullable=False),
    sa.Column('online_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('going_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('questions', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recap_topic_id', sa.Integer(), nullable=True),
    sa.Column('recap_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_events_created_by_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_events_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recap_topic_id'], ['topics.id'], name=op.f('fk_events_recap_topic_id_topics'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_created_by_id', ['created_by_id'], unique=False)
        batch_op.create_index('ix_events_group_starts', ['group_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_events_recap_topic_id', ['recap_topic_id'], unique=False)
        batch_op.create_index('ix_events_starts_at', ['starts_at', 'id'], unique=False)

    op.create_table('event_rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('going', 'waiting', name='event_rsvp_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_24h_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_1h_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_rsvps_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_event_rsvps_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_rsvps')),
    sa.UniqueConstraint('event_id', 'member_id', name='uq_event_rsvps_event_member')
    )
    with op.batch_alter_table('event_rsvps', schema=None) as batch_op:
        batch_op.create_index('ix_event_rsvps_event_status', ['event_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_event_rsvps_member_id', ['member_id'], unique=False)

    op.create_table('event_calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('feed_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_event_calendar_feeds_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_calendar_feeds')),
    sa.UniqueConstraint('member_id', name=op.f('uq_event_calendar_feeds_member_id')),
    sa.UniqueConstraint('feed_key', name=op.f('uq_event_calendar_feeds_feed_key'))
    )


def downgrade():
    op.drop_table('event_calendar_feeds')
    with op.batch_alter_table('event_rsvps', schema=None) as batch_op:
        batch_op.drop_index('ix_event_rsvps_member_id')
        batch_op.drop_index('ix_event_rsvps_event_status')

    op.drop_table('event_rsvps')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_starts_at')
        batch_op.drop_index('ix_events_recap_topic_id')
        batch_op.drop_index('ix_events_group_starts')
        batch_op.drop_index('ix_events_created_by_id')

    op.drop_table('events')
