"""event questions: members' questions sent in advance of an event, moderated like posts, with their votes

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 18:40:00

`event_questions` (the question, cooked once; its review state while it is in the moderators' queue; staff's
answer after the event; `want_count` denormalised from the votes) and `event_question_votes` ("I want to know
too": one per member and question).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('visible', 'pending', 'rejected', 'hidden', 'deleted', name='event_question_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('in_review', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('urgent', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), server_default='', nullable=False),
    sa.Column('answer', sa.Text(), server_default='', nullable=False),
    sa.Column('answer_html', sa.Text(), server_default='', nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('want_count', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['members.id'], name=op.f('fk_event_questions_answered_by_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_event_questions_author_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['members.id'], name=op.f('fk_event_questions_decided_by_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_questions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_questions'))
    )
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.create_index('ix_event_questions_answered_by_id', ['answered_by_id'], unique=False)
        batch_op.create_index('ix_event_questions_author_id', ['author_id'], unique=False)
        batch_op.create_index('ix_event_questions_decided_by_id', ['decided_by_id'], unique=False)
        batch_op.create_index('ix_event_questions_event_listing', ['event_id', 'status', 'want_count', 'created_at'], unique=False)
        batch_op.create_index('ix_event_questions_queue', ['in_review', 'urgent', 'created_at'], unique=False)

    op.create_table('event_question_votes',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_event_question_votes_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['event_questions.id'], name=op.f('fk_event_question_votes_question_id_event_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'member_id', name=op.f('pk_event_question_votes'))
    )
    with op.batch_alter_table('event_question_votes', schema=None) as batch_op:
        batch_op.create_index('ix_event_question_votes_member_id', ['member_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_question_votes', schema=None) as batch_op:
        batch_op.drop_index('ix_event_question_votes_member_id')

    op.drop_table('event_question_votes')
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_event_questions_queue')
        batch_op.drop_index('ix_event_questions_event_listing')
        batch_op.drop_index('ix_event_questions_decided_by_id')
        batch_op.drop_index('ix_event_questions_author_id')
        batch_op.drop_index('ix_event_questions_answered_by_id')

    op.drop_table('event_questions')
