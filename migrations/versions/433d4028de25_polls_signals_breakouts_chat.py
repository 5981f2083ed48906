"""polls (with unlinkable anonymous answers), standing and support signals, breakout rounds, chat

Revision ID: 433d4028de25
Revises: e1564be64c63
Create Date: 2026-11-24 02:26:37.497123
"""
from alembic import op
import sqlalchemy as sa


revision = '433d4028de25'
down_revision = 'e1564be64c63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('breakout_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=True),
    sa.Column('choosing', sa.Boolean(), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('warn_seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('warn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_breakout_rounds_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breakout_rounds'))
    )
    with op.batch_alter_table('breakout_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_breakout_rounds_due', ['state', 'ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_breakout_rounds_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_breakout_rounds_active_per_meeting', ['meeting_id'], unique=True, sqlite_where=sa.text("state != 'closed'"), postgresql_where=sa.text("state != 'closed'"))

    op.create_table('chat_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_chat_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_chat_settings'))
    )
    op.create_table('polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('allow_change', sa.Boolean(), nullable=False),
    sa.Column('visibility', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('scale_min', sa.Integer(), nullable=True),
    sa.Column('scale_max', sa.Integer(), nullable=True),
    sa.Column('min_label', sa.String(length=40), nullable=True),
    sa.Column('max_label', sa.String(length=40), nullable=True),
    sa.Column('template', sa.String(length=24), nullable=True),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_polls_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls'))
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('breakout_rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('help_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_breakout_rooms_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['breakout_rounds.id'], name=op.f('fk_breakout_rooms_round_id_breakout_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breakout_rooms'))
    )
    with op.batch_alter_table('breakout_rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breakout_rooms_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_breakout_rooms_round_id'), ['round_id'], unique=False)

    op.create_table('chat_mutes',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('muted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_chat_mutes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_chat_mutes_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_chat_mutes'))
    )
    with op.batch_alter_table('chat_mutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_mutes_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('poll_ballots',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('text', sa.String(length=280), nullable=True),
    sa.Column('voted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_poll_ballots_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_ballots_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'participant_id', name=op.f('pk_poll_ballots'))
    )
    with op.batch_alter_table('poll_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_ballots_participant_id'), ['participant_id'], unique=False)

    op.create_table('poll_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_options_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_options'))
    )
    with op.batch_alter_table('poll_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_options_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_text_answers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=280), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_text_answers_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_text_answers')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_text_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_text_answers_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_voters',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_poll_voters_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_voters_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'participant_id', name=op.f('pk_poll_voters')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('poll_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_voters_participant_id'), ['participant_id'], unique=False)

    op.create_table('signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_signals_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_signals_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signals')),
    sa.UniqueConstraint('participant_id', 'kind', name=op.f('uq_signals_participant_id'))
    )
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signals_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signals_participant_id'), ['participant_id'], unique=False)

    op.create_table('support_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_support_requests_acknowledged_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_support_requests_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_support_requests_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_requests'))
    )
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_requests_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_requests_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_support_requests_pending', ['participant_id'], unique=True, sqlite_where=sa.text('acknowledged_at IS NULL AND withdrawn_at IS NULL'), postgresql_where=sa.text('acknowledged_at IS NULL AND withdrawn_at IS NULL'))

    op.create_table('breakout_assignments',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_breakout_assignments_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['breakout_rooms.id'], name=op.f('fk_breakout_assignments_room_id_breakout_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['breakout_rounds.id'], name=op.f('fk_breakout_assignments_round_id_breakout_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'participant_id', name=op.f('pk_breakout_assignments'))
    )
    with op.batch_alter_table('breakout_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breakout_assignments_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_breakout_assignments_room_id'), ['room_id'], unique=False)

    op.create_table('breakout_staff',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['breakout_rooms.id'], name=op.f('fk_breakout_staff_room_id_breakout_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['breakout_rounds.id'], name=op.f('fk_breakout_staff_round_id_breakout_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_breakout_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'user_id', name=op.f('pk_breakout_staff'))
    )
    with op.batch_alter_table('breakout_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breakout_staff_room_id'), ['room_id'], unique=False)

    op.create_table('chat_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('thread_participant_id', sa.Integer(), nullable=True),
    sa.Column('author_participant_id', sa.Integer(), nullable=True),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=80), nullable=False),
    sa.Column('author_role', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_participant_id'], ['participants.id'], name=op.f('fk_chat_messages_author_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_chat_messages_author_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_chat_messages_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['breakout_rooms.id'], name=op.f('fk_chat_messages_room_id_breakout_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_participant_id'], ['participants.id'], name=op.f('fk_chat_messages_thread_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_messages'))
    )
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.create_index('ix_chat_messages_author_p', ['author_participant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_chat_messages_author_u', ['meeting_id', 'author_user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_chat_messages_channel', ['meeting_id', 'channel', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_messages_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_messages_thread_participant_id'), ['thread_participant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_messages_thread_participant_id'))
        batch_op.drop_index(batch_op.f('ix_chat_messages_room_id'))
        batch_op.drop_index('ix_chat_messages_channel')
        batch_op.drop_index('ix_chat_messages_author_u')
        batch_op.drop_index('ix_chat_messages_author_p')

    op.drop_table('chat_messages')
    with op.batch_alter_table('breakout_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breakout_staff_room_id'))

    op.drop_table('breakout_staff')
    with op.batch_alter_table('breakout_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breakout_assignments_room_id'))
        batch_op.drop_index(batch_op.f('ix_breakout_assignments_participant_id'))

    op.drop_table('breakout_assignments')
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_support_requests_pending', sqlite_where=sa.text('acknowledged_at IS NULL AND withdrawn_at IS NULL'), postgresql_where=sa.text('acknowledged_at IS NULL AND withdrawn_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_support_requests_participant_id'))
        batch_op.drop_index(batch_op.f('ix_support_requests_meeting_id'))

    op.drop_table('support_requests')
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signals_participant_id'))
        batch_op.drop_index(batch_op.f('ix_signals_meeting_id'))

    op.drop_table('signals')
    with op.batch_alter_table('poll_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_voters_participant_id'))

    op.drop_table('poll_voters')
    with op.batch_alter_table('poll_text_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_text_answers_poll_id'))

    op.drop_table('poll_text_answers')
    with op.batch_alter_table('poll_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_options_poll_id'))

    op.drop_table('poll_options')
    with op.batch_alter_table('poll_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_ballots_participant_id'))

    op.drop_table('poll_ballots')
    with op.batch_alter_table('chat_mutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_mutes_meeting_id'))

    op.drop_table('chat_mutes')
    with op.batch_alter_table('breakout_rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breakout_rooms_round_id'))
        batch_op.drop_index(batch_op.f('ix_breakout_rooms_meeting_id'))

    op.drop_table('breakout_rooms')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polls_meeting_id'))

    op.drop_table('polls')
    op.drop_table('chat_settings')
    with op.batch_alter_table('breakout_rounds', schema=None) as batch_op:
        batch_op.drop_index('uq_breakout_rounds_active_per_meeting', sqlite_where=sa.text("state != 'closed'"), postgresql_where=sa.text("state != 'closed'"))
        batch_op.drop_index(batch_op.f('ix_breakout_rounds_meeting_id'))
        batch_op.drop_index('ix_breakout_rounds_due')

    op.drop_table('breakout_rounds')
